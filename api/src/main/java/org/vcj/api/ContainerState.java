package org.vcj.api;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** Container lifecycle states and the transitions between them, all in one place. */
public enum ContainerState {
    CREATING, READY, RUNNING, PAUSED, STOPPED;

    public boolean canTransitionTo(ContainerState to) {
        return allowedNext().contains(to);
    }

    public Set<ContainerState> allowedNext() {
        return switch (this) {
            case CREATING -> EnumSet.of(READY, STOPPED);
            case READY -> EnumSet.of(RUNNING, STOPPED);
            case RUNNING -> EnumSet.of(PAUSED, STOPPED);
            case PAUSED -> EnumSet.of(RUNNING, STOPPED);
            case STOPPED -> EnumSet.noneOf(ContainerState.class);
        };
    }

    @Override
    public String toString() { return name().toLowerCase(Locale.ROOT); }
}
