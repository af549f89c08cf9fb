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
 * waited for: the connector checks the VM before each of its attempts. How long an attempt lasts and how often it
 * retries is the connector's policy alone ({@code GrpcAgentConnector}); this class only gives it the whole
 * {@link #CONNECT_TIMEOUT}.
 */
final class AgentSessions {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(120);

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
            throw new InvalidStateException(r.id(), r.state(), "talk to the agent of",
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
        try {
            return c.connect(r.id(), r.vm().agentAddress(), CONNECT_TIMEOUT, () -> vmCheck.accept(r));
        } catch (AgentException e) {
            throw new AgentException(r.id(), "connect", null, "no answer within " + CONNECT_TIMEOUT.toSeconds()
                    + " s while its VM runs (last: " + e.getMessage() + ")", e);
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
