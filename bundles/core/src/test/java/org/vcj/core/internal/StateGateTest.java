package org.vcj.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vcj.api.Cmd;
import org.vcj.api.ContainerConfig;
import org.vcj.api.ContainerState;
import org.vcj.api.HypervisorType;
import org.vcj.api.InvalidStateException;
import org.vcj.api.SandboxConfig;
import org.vcj.api.SandboxState;
import org.vcj.api.VCSandbox;

/** Every state change goes through the api's transition tables; refusals name id, from and to. */
class StateGateTest {

    @TempDir Path root;
    final Fakes.MemoryStorage storage = new Fakes.MemoryStorage();
    final List<String> calls = new CopyOnWriteArrayList<>();
    final Fakes.FakeHypervisor hv = new Fakes.FakeHypervisor(calls, false, "fake");
    boolean exits = true;

    @AfterEach
    void unmountLeftovers() {
        new RootfsSharer(new SandboxPaths(root)).unmountAllUnder("test", root);
    }

    private VcService service() {
        VcService s = new VcService(root, "mem", Duration.ofMillis(50));
        s.addStorage(storage, Map.of("vcj.storage", "mem"));
        s.addHypervisor(hv, Map.of("vcj.hypervisor", "fake"));
        s.setConnector((sid, address, timeout) -> Fakes.agent(calls, "", exits));
        return s;
    }

    private SandboxConfig config(String id) throws Exception {
        Path rootfs = Files.createDirectories(root.resolve("rootfs"));
        return SandboxConfig.builder(id).hypervisorType(new HypervisorType("fake"))
                .containers(List.of(ContainerConfig.builder(id).rootFs(rootfs.toString()).cmd(Cmd.builder("sh").build()).build()))
                .build();
    }

    @Test
    void aRefusedTransitionNamesIdFromAndToAndChangesNothing() throws Exception {
        VcService vc = service();
        vc.runSandbox(config("s1"));
        vc.stopSandbox("s1", false);
        byte[] before = storage.data.get("sandbox/s1");
        InvalidStateException e = assertThrows(InvalidStateException.class, () -> vc.pauseSandbox("s1"));
        assertEquals("sandbox", e.kind());
        assertEquals("s1", e.id());
        assertEquals("stopped", e.from());
        assertEquals("paused", e.to());
        assertTrue(e.getMessage().contains("stopped -> paused"), e.getMessage());
        assertTrue(e.getMessage().contains("only from running"), e.getMessage());

        InvalidStateException c = assertThrows(InvalidStateException.class, () -> vc.startContainer("s1", "s1"));
        assertEquals("container", c.kind());
        assertEquals("stopped", c.from());
        assertEquals("running", c.to());
        assertEquals(new String(before), new String(storage.data.get("sandbox/s1")));
        vc.deleteSandbox("s1");
    }

    @Test
    void everyTransitionTheCodeMakesIsInTheTable() throws Exception {
        VcService vc = service();
        vc.createSandbox(config("s1"));
        SandboxState[] path = {SandboxState.READY, SandboxState.RUNNING, SandboxState.PAUSED, SandboxState.RUNNING,
            SandboxState.STOPPED, SandboxState.RUNNING, SandboxState.STOPPED};
        SandboxState last = SandboxState.CREATING;
        for (SandboxState next : path) {
            switch (next) {
                case READY -> { }
                case RUNNING -> vc.startSandbox("s1");
                case PAUSED -> vc.pauseSandbox("s1");
                case STOPPED -> vc.stopSandbox("s1", false);
                default -> throw new AssertionError(next);
            }
            SandboxState now = vc.statusSandbox("s1").state();
            assertEquals(next, now);
            assertTrue(last == now || last.canTransitionTo(now) || (last == SandboxState.STOPPED && now == SandboxState.RUNNING),
                    last + " -> " + now);
            last = now;
        }
        vc.deleteSandbox("s1");
    }

    @Test
    void restartingAStoppedSandboxGoesThroughReadyAndKeepsItsContainers() throws Exception {
        VcService vc = service();
        vc.runSandbox(config("s1"));
        vc.stopSandbox("s1", false);
        assertEquals(ContainerState.STOPPED, vc.statusContainer("s1", "s1").state());
        assertEquals(0, vc.statusContainer("s1", "s1").exitCode());
        calls.clear();
        vc.startSandbox("s1");
        assertEquals(List.of("startVM s1", "createSandbox", "createContainer", "startContainer"), calls);
        assertEquals(SandboxState.RUNNING, vc.statusSandbox("s1").state());
        assertEquals(ContainerState.RUNNING, vc.statusContainer("s1", "s1").state());
        assertNull(vc.statusContainer("s1", "s1").exitCode(), "the old exit belongs to the old run");
        vc.stopSandbox("s1", false);
        vc.deleteSandbox("s1");
        assertTrue(storage.data.isEmpty());
    }

    @Test
    void startAndResumeAreTheTwoWaysToRunning() throws Exception {
        VcService vc = service();
        VCSandbox s = vc.createSandbox(config("s1"));
        s.resume();
        assertEquals(SandboxState.RUNNING, s.status().state());
        assertEquals(ContainerState.RUNNING, s.statusContainer("s1").state());
        s.pause();
        s.start();
        assertEquals(SandboxState.RUNNING, s.status().state());
        assertEquals(ContainerState.RUNNING, s.statusContainer("s1").state());
        InvalidStateException again = assertThrows(InvalidStateException.class, s::start);
        assertEquals("running", again.from());
        assertEquals("running", again.to());
        s.pauseContainer("s1");
        s.startContainer("s1");
        assertEquals(ContainerState.RUNNING, s.statusContainer("s1").state());
        s.delete();
    }

    @Test
    void anExitNobodySawIsRecordedUnknownNot137() throws Exception {
        exits = false;
        VcService vc = service();
        vc.runSandbox(config("s1"));
        vc.stopSandbox("s1", false);
        assertEquals(ContainerState.STOPPED, vc.statusContainer("s1", "s1").state());
        assertNull(vc.statusContainer("s1", "s1").exitCode());
        long kills = calls.stream().filter("signalProcess"::equals).count();
        assertEquals(2, kills, "SIGTERM, then SIGKILL: " + calls);
        vc.deleteSandbox("s1");
    }

    @Test
    void containersOfADeadVmAreStoppedWithAnUnknownExit() throws Exception {
        VcService vc = service();
        vc.runSandbox(config("s1"));
        hv.running.clear();
        vc.stopSandbox("s1", true);
        assertEquals(ContainerState.STOPPED, vc.statusContainer("s1", "s1").state());
        assertNull(vc.statusContainer("s1", "s1").exitCode());
        vc.deleteSandbox("s1");
    }
}
