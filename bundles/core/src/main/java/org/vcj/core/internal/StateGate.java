package org.vcj.core.internal;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

import org.vcj.api.ContainerState;
import org.vcj.api.InvalidStateException;
import org.vcj.api.SandboxState;
import org.vcj.core.internal.SandboxRecord.ContainerRecord;

/**
 * The one gate of state changes: a sandbox or container moves from one state to another only when the api's
 * transition table ({@link SandboxState#allowedNext()}, {@link ContainerState#allowedNext()}) allows it; anything
 * else is an {@link InvalidStateException} naming id, from and to. Operations that are not state changes but need a
 * state (exec, kill, ps ...) are checked here too, with {@code to} null.
 */
final class StateGate {

    private StateGate() { }

    /** Refuses a sandbox transition the table does not allow. */
    static void check(SandboxRecord r, SandboxState to, String operation) {
        if (r.state().canTransitionTo(to)) return;
        throw new InvalidStateException(r.id(), r.state(), to, operation,
                "a sandbox becomes " + to + " only from " + names(from(to)) + "; see 'vcj status " + r.id() + "'");
    }

    /** Refuses a container transition the table does not allow. */
    static void check(ContainerRecord c, ContainerState to, String operation) {
        if (c.state().canTransitionTo(to)) return;
        Set<ContainerState> from = EnumSet.noneOf(ContainerState.class);
        for (ContainerState s : ContainerState.values()) if (s.canTransitionTo(to)) from.add(s);
        throw new InvalidStateException(c.id(), c.state(), to, operation,
                "a container becomes " + to + " only from " + names(from));
    }

    /** Refuses an operation that needs the sandbox in one of {@code allowed} (not a state change). */
    static void requireSandbox(SandboxRecord r, String operation, SandboxState... allowed) {
        if (!Arrays.asList(allowed).contains(r.state())) {
            throw new InvalidStateException(r.id(), r.state(), operation, names(Arrays.asList(allowed)));
        }
    }

    /** The container, when it is in one of {@code allowed}; refuses the operation otherwise (not a state change). */
    static ContainerRecord requireContainer(SandboxRecord r, String cid, String operation, ContainerState... allowed) {
        ContainerRecord c = r.requireContainer(cid);
        if (Arrays.asList(allowed).contains(c.state())) return c;
        throw new InvalidStateException(cid, c.state(), operation, names(Arrays.asList(allowed)));
    }

    /** Refuses agent calls while the VM is paused: the agent cannot answer until it is resumed. */
    static void requireVmNotPaused(SandboxRecord r, String operation) {
        if (r.vmPaused()) {
            throw new InvalidStateException(r.id(), r.state(), operation,
                    "ready, running; its VM is paused and its agent cannot answer: resume it first with 'vcj resume " + r.id() + "'");
        }
    }

    private static Set<SandboxState> from(SandboxState to) {
        Set<SandboxState> from = EnumSet.noneOf(SandboxState.class);
        for (SandboxState s : SandboxState.values()) if (s.canTransitionTo(to)) from.add(s);
        return from;
    }

    private static String names(java.util.Collection<?> states) {
        return states.stream().map(Object::toString).collect(Collectors.joining(", "));
    }
}
