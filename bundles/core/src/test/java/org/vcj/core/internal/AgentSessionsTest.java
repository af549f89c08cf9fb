package org.vcj.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.vcj.api.HypervisorException;
import org.vcj.api.SandboxConfig;
import org.vcj.api.agent.Agent;
import org.vcj.api.agent.AgentConnector;
import org.vcj.api.hypervisor.VM;

/** The core leaves the retry policy to the connector: one call with the whole wait and the VM check. */
class AgentSessionsTest {

    private final SandboxRecord record = SandboxRecord.creating(SandboxConfig.builder("a1").build(), null)
            .withVm(new VM("a1", "fake", 1, 256, "/tmp/none", "/tmp/none", "/run/none", "unix:///tmp/none.sock", null));

    @Test
    void theConnectorGetsTheWholeWaitOnceAndChecksTheVmItself() {
        List<Duration> timeouts = new CopyOnWriteArrayList<>();
        AtomicInteger vmChecks = new AtomicInteger();
        Agent agent = Fakes.agent(new CopyOnWriteArrayList<>(), "");
        AgentSessions sessions = new AgentSessions(r -> vmChecks.incrementAndGet());
        sessions.connector(new AgentConnector() {
            @Override
            public Agent connect(String sandboxId, String address, Duration timeout) {
                throw new AssertionError("the core must hand over its VM check");
            }

            @Override
            public Agent connect(String sandboxId, String address, Duration timeout, Runnable stillThere) {
                timeouts.add(timeout);
                stillThere.run();
                stillThere.run();
                return agent;
            }
        });
        assertSame(agent, sessions.of(record));
        assertEquals(List.of(AgentSessions.CONNECT_TIMEOUT), timeouts, "one call, the whole wait: attempts are the connector's");
        assertEquals(2, vmChecks.get(), "the connector ran the core's VM check before each of its attempts");
    }

    @Test
    void aVmFoundGoneEndsTheWait() {
        AgentSessions sessions = new AgentSessions(r -> {
            throw new HypervisorException(r.id(), "check", "the VM is gone", null);
        });
        sessions.connector((sandboxId, address, timeout) -> {
            throw new AssertionError("no connection to a VM that is gone");
        });
        assertThrows(HypervisorException.class, () -> sessions.of(record));
    }
}
