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
        assertEquals(SandboxState.STOPPED, e.from());
        assertEquals(SandboxState.PAUSED, e.to());
        assertTrue(e.getMessage().contains("stopped -> paused"), e.getMessage());
        assertTrue(e.getMessage().contains("only from running"), e.getMessage());

        InvalidStateException c = assertThrows(InvalidStateException.class, () -> vc.startContainer("s1", "s1"));
        assertEquals("container", c.kind());
        assertEquals(ContainerState.STOPPED, c.from());
        assertEquals(ContainerState.RUNNING, c.to());
        assertEquals(new String(before), new String(storage.data.get("sandbox/s1")));
        vc.deleteSandbox("s1");
    }

    @Test
    void everyTransitionTheCodeMakesIsInTheTable() throws Exception {
        CountingStorage counting = new CountingStorage();
        VcService vc = new VcService(root, "counting", Duration.ofMillis(50));
        vc.addStorage(counting, Map.of("vcj.storage", "counting"));
        vc.addHypervisor(hv, Map.of("vcj.hypervisor", "fake"));
        vc.setConnector((sid, address, timeout) -> Fakes.agent(calls, "", exits));
        VCSandbox s = vc.createSandbox(config("s1"));
        s.start();
        s.pause();
        s.resume();
        s.stop(false);
        s.start(); // a new VM: STOPPED -> READY -> RUNNING, the container STOPPED -> READY -> RUNNING
        s.pause();
        s.start();
        s.stop(false);
        s.delete();

        // Every save is seen: a state a save changes must be one step of the api's tables, whichever code made it.
        Map<String, String> last = new java.util.HashMap<>();
        List<String> sandboxPath = new java.util.ArrayList<>();
        for (CountingStorage.Saved saved : counting.saved) {
            saved.states().forEach((who, state) -> {
                String before = last.put(who, state);
                if (who.isEmpty() && !state.equals(before)) sandboxPath.add(state);
                if (before == null) {
                    assertEquals("CREATING", state, "first saved state of '" + who + "'");
                } else if (!before.equals(state)) {
                    boolean allowed = who.isEmpty()
                            ? SandboxState.valueOf(before).canTransitionTo(SandboxState.valueOf(state))
                            : ContainerState.valueOf(before).canTransitionTo(ContainerState.valueOf(state));
                    assertTrue(allowed, (who.isEmpty() ? "sandbox" : "container " + who) + " saved " + before + " -> " + state
                            + ", which the table does not allow");
                }
            });
        }
        assertEquals(List.of("CREATING", "READY", "RUNNING", "PAUSED", "RUNNING", "STOPPED", "READY", "RUNNING", "PAUSED",
                "RUNNING", "STOPPED", "DELETING"), sandboxPath, "the sandbox's saved states, in order");
        assertTrue(counting.inner.data.isEmpty());
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
        assertEquals(SandboxState.RUNNING, again.from());
        assertEquals(SandboxState.RUNNING, again.to());
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

    @Test
    void aSandboxWhoseVmDiedIsStoppedForStatusAndGateAlike() throws Exception {
        VcService vc = service();
        vc.runSandbox(config("s1"));
        hv.running.clear(); // the VM was killed behind vcj's back
        assertEquals(SandboxState.STOPPED, vc.statusSandbox("s1").state());
        assertEquals(SandboxState.STOPPED, vc.engine().records.load("s1").state(), "the record says what status said");
        InvalidStateException e = assertThrows(InvalidStateException.class, () -> vc.pauseSandbox("s1"));
        assertEquals(SandboxState.STOPPED, e.from(), "the gate sees the state status reported");
        assertEquals(ContainerState.STOPPED, vc.statusContainer("s1", "s1").state());
        assertNull(vc.statusContainer("s1", "s1").exitCode(), "nobody saw it exit");
        vc.startSandbox("s1"); // a stopped sandbox starts again on a new VM
        assertEquals(SandboxState.RUNNING, vc.statusSandbox("s1").state());
        vc.stopSandbox("s1", false);
        vc.deleteSandbox("s1");
    }
}
