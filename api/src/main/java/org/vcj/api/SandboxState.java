package org.vcj.api;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Sandbox lifecycle states and the transitions between them, all in one place.
 * {@code CREATING} and {@code DELETING} are saved before the work they name, so that a runtime
 * killed in the middle leaves a record the next start can report truthfully and clean up.
 */
public enum SandboxState {
    CREATING, READY, RUNNING, PAUSED, STOPPED, DELETING;

    /** Whether a sandbox in this state may move to {@code to}. */
    public boolean canTransitionTo(SandboxState to) {
        return allowedNext().contains(to);
    }

    /** The states reachable from this one. */
    public Set<SandboxState> allowedNext() {
        return switch (this) {
            case CREATING -> EnumSet.of(READY, STOPPED, DELETING);
            case READY -> EnumSet.of(RUNNING, STOPPED, DELETING);
            case RUNNING -> EnumSet.of(PAUSED, STOPPED, DELETING);
            case PAUSED -> EnumSet.of(RUNNING, STOPPED, DELETING);
            case STOPPED -> EnumSet.of(RUNNING, DELETING);
            case DELETING -> EnumSet.of(DELETING);
        };
    }

    /** The name Kata prints: {@code ready}, {@code running} ... */
    @Override
    public String toString() { return name().toLowerCase(Locale.ROOT); }
}
