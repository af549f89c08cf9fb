package org.vcj.api;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Sandbox lifecycle states and the transitions between them, all in one place: the core changes a sandbox's
 * state only along {@link #allowedNext()} and refuses anything else with an {@link InvalidStateException}
 * naming the sandbox, {@code from} and {@code to}. {@code CREATING} and {@code DELETING} are saved before the
 * work they name, so that a runtime killed in the middle leaves a record the next start can report truthfully
 * and clean up.
 *
 * <pre>
 * CREATING -&gt; READY (created) | STOPPED (stop) | DELETING (delete, cleanup of a crashed create)
 * READY    -&gt; RUNNING (start/resume) | STOPPED (stop)
 * RUNNING  -&gt; PAUSED (pause) | STOPPED (stop)
 * PAUSED   -&gt; RUNNING (resume/start) | STOPPED (stop)
 * STOPPED  -&gt; READY (start: a new VM, the containers created again; then RUNNING) | DELETING (delete)
 * DELETING -&gt; DELETING (delete again after a crash)
 * </pre>
 * Deleting a ready, running or paused sandbox passes through {@code STOPPED}.
 */
public enum SandboxState {
    CREATING, READY, RUNNING, PAUSED, STOPPED, DELETING;

    /** Whether a sandbox in this state may move to {@code to}. */
    public boolean canTransitionTo(SandboxState to) {
        return allowedNext().contains(to);
    }

    /** The states reachable from this one in one step. */
    public Set<SandboxState> allowedNext() {
        return switch (this) {
            case CREATING -> EnumSet.of(READY, STOPPED, DELETING);
            case READY -> EnumSet.of(RUNNING, STOPPED);
            case RUNNING -> EnumSet.of(PAUSED, STOPPED);
            case PAUSED -> EnumSet.of(RUNNING, STOPPED);
            case STOPPED -> EnumSet.of(READY, DELETING);
            case DELETING -> EnumSet.of(DELETING);
        };
    }

    /** The name Kata prints: {@code ready}, {@code running} ... */
    @Override
    public String toString() { return name().toLowerCase(Locale.ROOT); }
}
