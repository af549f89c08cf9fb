package org.vcj.api;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Container lifecycle states and the transitions between them, all in one place: the core changes a
 * container's state only along {@link #allowedNext()} and refuses anything else with an
 * {@link InvalidStateException} naming the container, {@code from} and {@code to}.
 *
 * <pre>
 * CREATING -&gt; READY (created) | STOPPED (stop)
 * READY    -&gt; RUNNING (start/resume) | STOPPED (stop)
 * RUNNING  -&gt; PAUSED (pause) | STOPPED (stop, or its main process exited)
 * PAUSED   -&gt; RUNNING (resume/start) | STOPPED (stop)
 * STOPPED  -&gt; READY (only when its stopped sandbox is started again: created anew in the new VM)
 * </pre>
 * A container is deleted (its record removed) only when {@code CREATING}, {@code READY} or {@code STOPPED}.
 */
public enum ContainerState {
    CREATING, READY, RUNNING, PAUSED, STOPPED;

    /** Whether a container in this state may move to {@code to}. */
    public boolean canTransitionTo(ContainerState to) {
        return allowedNext().contains(to);
    }

    /** The states reachable from this one in one step. */
    public Set<ContainerState> allowedNext() {
        return switch (this) {
            case CREATING -> EnumSet.of(READY, STOPPED);
            case READY -> EnumSet.of(RUNNING, STOPPED);
            case RUNNING -> EnumSet.of(PAUSED, STOPPED);
            case PAUSED -> EnumSet.of(RUNNING, STOPPED);
            case STOPPED -> EnumSet.of(READY);
        };
    }

    /** The name Kata prints: {@code ready}, {@code running} ... */
    @Override
    public String toString() { return name().toLowerCase(Locale.ROOT); }
}
