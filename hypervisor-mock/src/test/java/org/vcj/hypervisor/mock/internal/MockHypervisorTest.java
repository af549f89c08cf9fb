package org.vcj.hypervisor.mock.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vcj.api.HypervisorConfig;
import org.vcj.api.HypervisorException;
import org.vcj.api.InvalidConfigException;
import org.vcj.api.NotSupportedException;
import org.vcj.support.process.HostProcess;
import org.vcj.api.hypervisor.VM;
import org.vcj.api.hypervisor.VMConfig;

class MockHypervisorTest {

    @TempDir Path run;

    private final MockHypervisor mock = new MockHypervisor(AgentCommand.from(System::getProperty));

    @Test
    void startsTheRealAgentDetachedAndStopsItWithoutLeftovers() {
        VM vm = mock.startVM(new VMConfig("m1", HypervisorConfig.DEFAULT, run.toString(), List.of(), null), Duration.ofSeconds(30));
        assertEquals("unix://" + run.resolve("agent.sock"), vm.agentAddress());
        assertEquals(vm.hostSharedDir(), vm.guestSharedDir());
        assertTrue(Files.exists(run.resolve("agent.sock")));
        long pid = mock.pids(vm).get(0);
        mock.check(vm);
        HostProcess reattached = new HostProcess(pid, Long.parseLong(vm.state().get(MockHypervisor.START_TIME)));
        assertTrue(reattached.alive(), "a saved record finds the same process again");

        mock.stopVM(vm, false);
        assertFalse(reattached.alive());
        assertFalse(Files.exists(run.resolve("agent.sock")));
        assertTrue(mock.pids(vm).isEmpty());
        assertThrows(HypervisorException.class, () -> mock.check(vm));
        mock.stopVM(vm, true);
    }

    @Test
    void whatNeedsAVmIsATypedNotSupportedError() {
        VM vm = new VM("m2", "mock", 1, 0, run.toString(), run.toString(), run.toString(), "unix:///x", java.util.Map.of());
        NotSupportedException e = assertThrows(NotSupportedException.class, () -> mock.resizeVCPUs(vm, 2));
        assertTrue(e.getMessage().contains("mock"), e.getMessage());
        assertThrows(NotSupportedException.class, () -> mock.pauseVM(vm));
        assertThrows(NotSupportedException.class, () -> mock.addDevice(vm, null));
        assertFalse(mock.capabilities().isolation());
        assertFalse(mock.capabilities().networkHotplug());
        assertThrows(NotSupportedException.class, () -> mock.addInterface(vm, new org.vcj.api.Interface("", "eth1", null, 0, "", "", "", 0)));
        NotSupportedException netns = assertThrows(NotSupportedException.class, () -> mock.startVM(new VMConfig("m2", HypervisorConfig.DEFAULT,
                run.toString(), List.of(), null, new org.vcj.api.NetworkConfig("/var/run/netns/x", null)), Duration.ofSeconds(5)));
        assertTrue(netns.getMessage().contains("/var/run/netns/x"), netns.getMessage());
        assertFalse(Files.exists(run.resolve("agent.sock")), "nothing was started");
    }

    @Test
    void aMissingAgentJarIsAConfigError() {
        MockHypervisor noJar = new MockHypervisor(new AgentCommand("java", "/nonexistent/agent.jar"));
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () ->
                noJar.startVM(new VMConfig("m3", HypervisorConfig.DEFAULT, run.toString(), List.of(), null), Duration.ofSeconds(5)));
        assertTrue(e.getMessage().contains("vcj.agent.jar"), e.getMessage());
    }

    @Test
    void aBadSettingFailsTheActivationWithItsKeyAndValue() {
        for (java.util.Map.Entry<String, String> bad : java.util.Map.of(AgentCommand.AGENT_JAR, "/nonexistent/agent.jar",
                AgentCommand.AGENT_JAVA, "relative/java").entrySet()) {
            InvalidConfigException e = assertThrows(InvalidConfigException.class,
                    () -> AgentCommand.from(java.util.Map.of(bad.getKey(), bad.getValue()), System::getProperty), bad.toString());
            assertEquals(bad.getKey(), e.field());
            assertTrue(e.getMessage().contains(bad.getKey()) && e.getMessage().contains("'" + bad.getValue() + "'"), e.getMessage());
        }
        AgentCommand set = AgentCommand.from(java.util.Map.of(AgentCommand.AGENT_JAR, System.getProperty("vcj.agent.jar")), k -> null);
        assertEquals(System.getProperty("vcj.agent.jar"), set.agentJar());
    }

    @Test
    void cleanupStopsAnAgentWhoseVmRecordWasNeverSaved() throws Exception {
        VM vm = mock.startVM(new VMConfig("m4", HypervisorConfig.DEFAULT, run.toString(), List.of(), null), Duration.ofSeconds(30));
        HostProcess agent = new HostProcess(Long.parseLong(vm.state().get(MockHypervisor.PID)),
                Long.parseLong(vm.state().get(MockHypervisor.START_TIME)));
        assertEquals(Long.toString(agent.pid()), Files.readString(run.resolve("agent.pid")).trim());
        mock.cleanup(run);
        assertFalse(agent.alive(), "the agent found through agent.pid is stopped");
        assertFalse(Files.exists(run.resolve("agent.sock")));
        mock.cleanup(run);
    }

    @Test
    void checkFailsForAReusedPid() {
        long self = ProcessHandle.current().pid();
        HostProcess me = HostProcess.of(self).orElseThrow();
        VM reused = new VM("m5", "mock", 1, 0, run.toString(), run.toString(), run.toString(), "unix:///x",
                java.util.Map.of(MockHypervisor.PID, Long.toString(self), MockHypervisor.START_TIME, Long.toString(me.startTime() + 1)));
        HypervisorException e = assertThrows(HypervisorException.class, () -> mock.check(reused));
        assertTrue(e.getMessage().contains("m5"), e.getMessage());
        assertTrue(mock.pids(reused).isEmpty());
        mock.stopVM(reused, false);
        assertTrue(HostProcess.of(self).isPresent(), "stopVM never signals a process whose pid was reused");
    }

    @Test
    void notSupportedMessagesSayWhatToUseInstead() {
        VM vm = new VM("m6", "mock", 1, 0, run.toString(), run.toString(), run.toString(), "unix:///x", java.util.Map.of());
        assertEquals("pauseVM is not supported by hypervisor mock: no VM; use pauseContainer",
                assertThrows(NotSupportedException.class, () -> mock.pauseVM(vm)).getMessage());
        assertEquals("saveVM is not supported by hypervisor mock: no VM; use --hypervisor=qemu",
                assertThrows(NotSupportedException.class, () -> mock.saveVM(vm, run.resolve("x"))).getMessage());
    }
}
