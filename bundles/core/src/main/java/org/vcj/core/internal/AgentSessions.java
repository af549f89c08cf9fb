package org.vcj.core.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.vcj.api.AgentException;
import org.vcj.api.InvalidStateException;
import org.vcj.api.agent.Agent;
import org.vcj.api.agent.AgentConnector;

/**
 * Live agent connections, one per sandbox in this JVM. A fresh JVM connects again from the VM's saved agent
 * address: the "connection" workflow of the sandbox API. A VM that is gone (its agent or QEMU was killed) is not
 * waited for: the VM is checked before connecting and every {@link #CHECK_EVERY} while the agent does not answer.
 */
final class AgentSessions {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(120);
    static final Duration CHECK_EVERY = Duration.ofSeconds(3);

    private final Map<String, Agent> agents = new ConcurrentHashMap<>();
    private final Consumer<SandboxRecord> vmCheck;
    private volatile AgentConnector connector;

    /** @param vmCheck throws a {@link org.vcj.api.VcException} when the sandbox's VM no longer runs */
    AgentSessions(Consumer<SandboxRecord> vmCheck) {
        this.vmCheck = vmCheck;
    }

    void connector(AgentConnector c) {
        connector = c;
    }

    Agent of(SandboxRecord r) {
        if (r.vm() == null) {
            throw new InvalidStateException("sandbox", r.id(), r.state().toString(), "talk to the agent of",
                    "a sandbox whose VM is running");
        }
        StateGate.requireVmNotPaused(r, "talk to the agent of");
        return agents.computeIfAbsent(r.id(), id -> {
            AgentConnector c = connector;
            if (c == null) throw new org.vcj.api.PluginNotFoundException("agent connector", "grpc", java.util.List.of());
            return connect(c, r);
        });
    }

    private Agent connect(AgentConnector c, SandboxRecord r) {
        long deadline = System.nanoTime() + CONNECT_TIMEOUT.toNanos();
        while (true) {
            vmCheck.accept(r);
            long left = deadline - System.nanoTime();
            try {
                return c.connect(r.id(), r.vm().agentAddress(), Duration.ofNanos(Math.max(0, Math.min(left, CHECK_EVERY.toNanos()))));
            } catch (AgentException e) {
                if (System.nanoTime() >= deadline) {
                    throw new AgentException(r.id(), "connect", null, "no answer within " + CONNECT_TIMEOUT.toSeconds()
                            + " s while its VM runs (last: " + e.getMessage() + ")", e);
                }
            }
        }
    }

    /** Closes and forgets the connection of a sandbox (the VM keeps running). */
    void release(String sandboxId) {
        Agent a = agents.remove(sandboxId);
        if (a != null) {
            try {
                a.close();
            } catch (RuntimeException ignored) {
                // closing a dead channel: nothing to do
            }
        }
    }

    void releaseAll() {
        agents.keySet().forEach(this::release);
    }
}
