package org.vcj.core.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.vcj.api.InvalidStateException;
import org.vcj.api.agent.Agent;
import org.vcj.api.agent.AgentConnector;

/**
 * Live agent connections, one per sandbox in this JVM. A fresh JVM connects again from the VM's saved agent
 * address: the "connection" workflow of the sandbox API.
 */
final class AgentSessions {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(120);

    private final Map<String, Agent> agents = new ConcurrentHashMap<>();
    private volatile AgentConnector connector;

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
            return c.connect(id, r.vm().agentAddress(), CONNECT_TIMEOUT);
        });
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
