package org.vcj.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
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
import org.vcj.api.InvalidConfigException;
import org.vcj.api.InvalidStateException;
import org.vcj.api.NotFoundException;
import org.vcj.api.SandboxConfig;
import org.vcj.api.SandboxState;
import org.vcj.api.VCSandbox;

/** What the api's javadoc promises about delete, pause/resume, annotations and factory VMs, checked on fake plugins. */
class SandboxPromisesTest {

    @TempDir Path root;
    final Fakes.MemoryStorage storage = new Fakes.MemoryStorage();
    /** Hypervisor and agent calls in the order they happened. */
    final List<String> calls = new CopyOnWriteArrayList<>();

    @AfterEach
    void unmountLeftovers() {
        new RootfsSharer(new SandboxPaths(root)).unmountAllUnder("test", root);
    }

    private VcService service(Fakes.FakeHypervisor hv) {
        VcService s = new VcService(root, "mem", Duration.ofMillis(50));
        s.addStorage(storage, Map.of("vcj.storage", "mem"));
        s.addHypervisor(hv, Map.of("vcj.hypervisor", "fake"));
        s.setConnector((sid, address, timeout) -> Fakes.agent(calls, ""));
        return s;
    }

    private SandboxConfig withContainer(String id) throws Exception {
        Path rootfs = Files.createDirectories(root.resolve("rootfs"));
        return SandboxConfig.builder(id).hypervisorType(new HypervisorType("fake"))
                .annotations(Map.of("org.example.created", "then"))
                .containers(List.of(ContainerConfig.builder(id).rootFs(rootfs.toString()).cmd(Cmd.builder("sleep", "600").build()).build()))
                .build();
    }

    @Test
    void aVmThatIsPoweredOffNeedsNoGuestCleanupFirst() throws Exception {
        Fakes.FakeHypervisor hv = new Fakes.FakeHypervisor(calls, false, "fake") {
            @Override
            public org.vcj.api.hypervisor.HypervisorCapabilities capabilities() {
                return new org.vcj.api.hypervisor.HypervisorCapabilities(false, false, false, false, false, false, true, java.util.Set.of());
            }
        };
        VcService vc = service(hv);
        vc.runSandbox(withContainer("s1"));
        calls.clear();
        vc.deleteSandbox("s1");
        assertTrue(calls.contains("stopVM s1"), calls.toString());
        assertFalse(calls.contains("destroySandbox"), "the guest's state ends with the VM: " + calls);
        assertTrue(storage.data.isEmpty(), storage.data.keySet().toString());
    }

    @Test
    void deleteOfARunningSandboxStopsItFirst() throws Exception {
        Fakes.FakeHypervisor hv = new Fakes.FakeHypervisor(calls, false, "fake");
        VcService vc = service(hv);
        vc.runSandbox(withContainer("s1"));
        calls.clear();
        vc.deleteSandbox("s1");
        assertTrue(storage.data.isEmpty(), storage.data.keySet().toString());
        assertFalse(Files.exists(root.resolve("sandboxes/s1")));
        int kill = calls.indexOf("signalProcess");
        assertTrue(kill >= 0, "the container was signalled: " + calls);
        assertTrue(calls.indexOf("destroySandbox") > kill, calls.toString());
        assertTrue(calls.indexOf("stopVM s1") > calls.indexOf("destroySandbox"), calls.toString());
        assertTrue(hv.running.isEmpty());
    }

    @Test
    void deleteOfAPausedSandboxResumesItsVmAndStopsIt() throws Exception {
        Fakes.FakeHypervisor hv = new Fakes.FakeHypervisor(calls, true, "fake");
        VcService vc = service(hv);
        vc.runSandbox(withContainer("s1"));
        vc.pauseSandbox("s1");
        calls.clear();
        vc.deleteSandbox("s1");
        assertEquals("resumeVM s1", calls.get(0), "the agent can answer only once the VM runs: " + calls);
        assertTrue(calls.contains("destroySandbox"), calls.toString());
        assertTrue(storage.data.isEmpty());
    }

    @Test
    void pauseFreezesTheContainersThenPausesTheVmAndResumeGoesInReverse() throws Exception {
        Fakes.FakeHypervisor hv = new Fakes.FakeHypervisor(calls, true, "fake");
        VcService vc = service(hv);
        vc.runSandbox(withContainer("s1"));
        calls.clear();
        vc.pauseSandbox("s1");
        assertEquals(List.of("pauseContainer", "pauseVM s1"), calls);
        assertEquals(SandboxState.PAUSED, vc.statusSandbox("s1").state());
        assertTrue(vc.statusSandbox("s1").vmPaused());
        assertTrue(hv.paused.contains("s1"));

        calls.clear();
        InvalidStateException busy = assertThrows(InvalidStateException.class, () -> vc.processListContainer("s1", "s1", null));
        assertTrue(busy.getMessage().contains("resume"), busy.getMessage());
        assertEquals(List.of(), calls, "no agent call while the VM is paused");

        vc.resumeSandbox("s1");
        assertEquals(List.of("resumeVM s1", "resumeContainer"), calls);
        assertFalse(vc.statusSandbox("s1").vmPaused());
        assertEquals(ContainerState.RUNNING, vc.statusContainer("s1", "s1").state());
        vc.deleteSandbox("s1");
    }

    @Test
    void aVmThatCannotBePausedLeavesTheSandboxRunningAndItsContainersThawed() throws Exception {
        Fakes.FakeHypervisor hv = new Fakes.FakeHypervisor(calls, true, "fake");
        VcService vc = service(hv);
        vc.runSandbox(withContainer("s1"));
        hv.pauseFails = true;
        calls.clear();
        assertThrows(org.vcj.api.HypervisorException.class, () -> vc.pauseSandbox("s1"));
        assertEquals(List.of("pauseContainer", "resumeContainer"), calls);
        assertEquals(SandboxState.RUNNING, vc.statusSandbox("s1").state());
        assertFalse(vc.statusSandbox("s1").vmPaused());
        assertEquals(ContainerState.RUNNING, vc.statusContainer("s1", "s1").state());
        vc.deleteSandbox("s1");
    }

    @Test
    void withoutThePauseCapabilityOnlyTheContainersAreFrozenAndTheStatusSaysSo() throws Exception {
        Fakes.FakeHypervisor hv = new Fakes.FakeHypervisor(calls, false, "fake");
        VcService vc = service(hv);
        vc.runSandbox(withContainer("s1"));
        calls.clear();
        vc.pauseSandbox("s1");
        assertEquals(List.of("pauseContainer"), calls);
        assertEquals(SandboxState.PAUSED, vc.statusSandbox("s1").state());
        assertFalse(vc.statusSandbox("s1").vmPaused());
        assertTrue(vc.processListContainer("s1", "s1", null).text().contains("sh"), "the agent still answers");
        vc.resumeSandbox("s1");
        assertEquals(SandboxState.RUNNING, vc.statusSandbox("s1").state());
        vc.deleteSandbox("s1");
    }

    @Test
    void anAnnotationThatIsNotSetIsNotFound() throws Exception {
        VcService vc = service(new Fakes.FakeHypervisor());
        VCSandbox s = vc.createSandbox(withContainer("s1"));
        assertEquals("then", s.annotations("org.example.created"));
        NotFoundException e = assertThrows(NotFoundException.class, () -> s.annotations("org.example.none"));
        assertEquals("annotation", e.kind());
        assertEquals("org.example.none", e.id());
        assertThrows(InvalidConfigException.class, () -> s.annotations(null));
        vc.deleteSandbox("s1");
    }

    @Test
    void setAnnotationsMergesAndRefusesNullsWithoutSaving() throws Exception {
        VcService vc = service(new Fakes.FakeHypervisor());
        VCSandbox s = vc.createSandbox(withContainer("s1"));
        s.setAnnotations(Map.of("org.example.a", "1"));
        s.setAnnotations(Map.of("org.example.b", "2", "org.example.a", "3"));
        assertEquals(Map.of("org.example.created", "then", "org.example.a", "3", "org.example.b", "2"), s.getAnnotations());
        assertEquals(s.getAnnotations(), vc.statusSandbox("s1").annotations());

        byte[] before = storage.data.get("sandbox/s1");
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("org.example.c", null);
        assertThrows(InvalidConfigException.class, () -> s.setAnnotations(nullValue));
        assertThrows(InvalidConfigException.class, () -> s.setAnnotations(null));
        assertThrows(InvalidConfigException.class, () -> s.setAnnotations(Map.of("", "x")));
        assertEquals(new String(before), new String(storage.data.get("sandbox/s1")));
        vc.deleteSandbox("s1");
    }

}
