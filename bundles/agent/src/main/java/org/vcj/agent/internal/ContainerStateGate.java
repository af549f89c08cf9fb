package org.vcj.agent.internal;

import java.util.EnumSet;
import java.util.Set;
import org.vcj.agent.internal.Container.State;

/**
 * The one table of the agent's container states: which state each operation needs, and which it leaves the container
 * in. Every state check and change of a {@link Container} goes through {@link #enter}. Stateless.
 */
enum ContainerStateGate {
    START("StartContainer", State.RUNNING, EnumSet.of(State.CREATED)),
    EXEC("ExecProcess", null, EnumSet.of(State.RUNNING)),
    PAUSE("PauseContainer", State.PAUSED, EnumSet.of(State.RUNNING)),
    RESUME("ResumeContainer", State.RUNNING, EnumSet.of(State.PAUSED)),
    STATS("StatsContainer", null, EnumSet.of(State.RUNNING, State.PAUSED)),
    REMOVE("RemoveContainer", State.STOPPED, EnumSet.allOf(State.class));

    private final String call;
    private final State next;
    private final Set<State> from;

    ContainerStateGate(String call, State next, Set<State> from) {
        this.call = call;
        this.next = next;
        this.from = from;
    }

    /** Fails with FAILED_PRECONDITION, naming the container, its state and the states this call needs. */
    void check(Container c) {
        State now = c.state();
        if (!from.contains(now)) {
            throw AgentErrors.state("container " + c.id() + " is " + now + ", " + call + " needs "
                    + (from.size() == 1 ? from.iterator().next() : from));
        }
    }

    /** Checks, then moves the container to this call's state (when the call changes it). Call with c locked. */
    void enter(Container c) {
        check(c);
        if (next != null) {
            c.state(next);
        }
    }
}
