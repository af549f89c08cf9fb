package org.vcj.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vcj.api.AlreadyExistsException;
import org.vcj.api.Cmd;
import org.vcj.api.ContainerConfig;
import org.vcj.api.ContainerState;
import org.vcj.api.HypervisorType;
import org.vcj.api.InvalidConfigException;
import org.vcj.api.InvalidStateException;
import org.vcj.api.NotFoundException;
import org.vcj.api.PluginNotFoundException;
import org.vcj.api.SandboxConfig;
import org.vcj.api.SandboxState;
import org.vcj.api.VcException;

class VcServiceTest {

    @TempDir Path root;
    final Fakes.MemoryStorage storage = new Fakes.MemoryStorage();
    final Fakes.FakeHypervisor hv = new Fakes.FakeHypervisor();
    final List<String> agentCalls = new CopyOnWriteArrayList<>();
    String failing = "";
    VcService vc;

    @BeforeEach
    void setUp() {
        vc = service();
    }

    @org.junit.jupiter.api.AfterEach
    void unmountLeftovers() {
        new RootfsSharer(new SandboxPaths(root)).unmountAllUnder("test", root);
    }

    private VcService service() {
        VcService s = new VcService(root, "mem", Duration.ofMillis(50));
        s.addStorage(storage, Map.of("vcj.storage", "mem"));
        s.addHypervisor(hv, Map.of("vcj.hypervisor", "fake"));
        s.setConnector((sid, address, timeout) -> Fakes.agent(agentCalls, failing));
        return s;
    }

    private SandboxConfig config(String id) {
        return SandboxConfig.builder(id).hypervisorType(new HypervisorType("fake")).build();
    }

    @Test
    void badIdsAreTypedErrorsAndStoreNothing() {
        for (String bad : List.of("a/b", "..", "", "x".repeat(300))) {
            assertThrows(InvalidConfigException.class, () -> config(bad), bad);
            assertThrows(InvalidConfigException.class, () -> vc.statusSandbox(bad), bad);
        }
        assertThrows(NotFoundException.class, () -> vc.statusSandbox("nope"));
        assertTrue(storage.data.isEmpty());
        assertTrue(hv.calls.isEmpty());
    }

    @Test
    void unknownHypervisorListsInstalledOnesAndStoresNothing() {
        SandboxConfig c = SandboxConfig.builder("s1").hypervisorType(new HypervisorType("acme")).build();
        PluginNotFoundException e = assertThrows(PluginNotFoundException.class, () -> vc.createSandbox(c));
        assertEquals(List.of("fake"), e.installed());
        assertTrue(e.getMessage().contains("acme"), e.getMessage());
        assertTrue(storage.data.isEmpty());
    }

    @Test
    void lifecycleSavesEveryStateAndDeleteLeavesNothing() {
        vc.createSandbox(config("s1"));
        assertEquals(SandboxState.READY, vc.statusSandbox("s1").state());
        assertEquals(List.of("createSandbox"), agentCalls);
        vc.startSandbox("s1");
        assertEquals(SandboxState.RUNNING, vc.statusSandbox("s1").state());
        vc.pauseSandbox("s1");
        assertEquals(SandboxState.PAUSED, vc.statusSandbox("s1").state());
        vc.resumeSandbox("s1");
        vc.stopSandbox("s1", false);
        assertEquals(SandboxState.STOPPED, vc.statusSandbox("s1").state());
        assertTrue(hv.calls.contains("stopVM s1"));
        vc.deleteSandbox("s1");
        assertTrue(storage.data.isEmpty());
        assertFalse(Files.exists(root.resolve("sandboxes/s1")));
    }

    @Test
    void aFreshRuntimeDoesNotWaitForTheAgentOfAVmThatDied() {
        vc.createSandbox(config("s1"));
        vc.startSandbox("s1");
        hv.running.remove("s1"); // the VM (QEMU, or the mock's agent) was killed
        VcService fresh = new VcService(root, "mem", Duration.ofMillis(50));
        fresh.addStorage(storage, Map.of("vcj.storage", "mem"));
        fresh.addHypervisor(hv, Map.of("vcj.hypervisor", "fake"));
        List<Duration> waited = new CopyOnWriteArrayList<>();
        fresh.setConnector((sid, address, timeout) -> {
            waited.add(timeout); // a dead VM's agent never answers: this connector would wait the whole timeout
            throw new AssertionError("connected to the agent of a VM that is gone");
        });
        long t0 = System.nanoTime();
        assertEquals(SandboxState.STOPPED, fresh.statusSandbox("s1").state(), "listed as stopped: its VM is gone");
        fresh.stopSandbox("s1", true);
        fresh.deleteSandbox("s1");
        assertEquals(List.of(), waited, "no connection attempted");
        assertTrue(Duration.ofNanos(System.nanoTime() - t0).compareTo(Duration.ofSeconds(2)) < 0, "no waiting");
        assertTrue(storage.data.isEmpty());
    }

    @Test
    void duplicateAndWrongStateChangeNothing() {
        vc.createSandbox(config("s1"));
        byte[] before = storage.data.get("sandbox/s1");
        assertThrows(AlreadyExistsException.class, () -> vc.createSandbox(config("s1")));
        InvalidStateException e = assertThrows(InvalidStateException.class, () -> vc.pauseSandbox("s1"));
        assertEquals(org.vcj.api.SandboxState.READY, e.from());
        assertEquals(org.vcj.api.SandboxState.PAUSED, e.to());
        assertEquals("s1", e.id());
        assertArrayEquals(before, storage.data.get("sandbox/s1"));
        assertEquals(List.of("startVM s1"), hv.calls);
    }

    @Test
    void failedCreateIsRolledBack() {
        failing = "createSandbox";
        assertThrows(VcException.class, () -> vc.createSandbox(config("s1")));
        assertTrue(storage.data.isEmpty());
        assertEquals(List.of("startVM s1", "stopVM s1"), hv.calls);
        assertFalse(Files.exists(root.resolve("sandboxes/s1")));
    }

    @Test
    void aFailedCreateKeepsTheVmsLogs() throws Exception {
        failing = "createSandbox";
        Fakes.FakeHypervisor logging = new Fakes.FakeHypervisor() {
            @Override
            public org.vcj.api.hypervisor.VM startVM(org.vcj.api.hypervisor.VMConfig config, Duration timeout) {
                try {
                    Files.createDirectories(Path.of(config.runDir()));
                    Files.writeString(Path.of(config.runDir(), "agent.log"), "agent: cannot bind the socket\n");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return super.startVM(config, timeout);
            }
        };
        VcService s = new VcService(root, "mem", Duration.ofMillis(50));
        s.addStorage(storage, Map.of("vcj.storage", "mem"));
        s.addHypervisor(logging, Map.of("vcj.hypervisor", "fake"));
        s.setConnector((sid, address, timeout) -> Fakes.agent(agentCalls, failing));
        assertThrows(VcException.class, () -> s.createSandbox(config("s1")));
        assertFalse(Files.exists(root.resolve("sandboxes/s1")), "the undo removed the sandbox");
        assertEquals("agent: cannot bind the socket\n", Files.readString(root.resolve("log/failed/s1/agent.log")));
    }

    @Test
    void containersFollowTheirStateMachineAndShareTheRootfsByOverlay() throws Exception {
        Path rootfs = Files.createDirectories(root.resolve("rootfs"));
        Files.writeString(rootfs.resolve("hello"), "hi");
        ContainerConfig cc = ContainerConfig.builder("c1").rootFs(rootfs.toString()).cmd(Cmd.builder("sh").build()).build();
        vc.runSandbox(config("s1").withContainers(List.of(cc)));
        Path shared = root.resolve("sandboxes/s1/vm/shared/c1/rootfs/hello");
        assertEquals("hi", Files.readString(shared), "the overlay shows the rootfs to the VM");
        assertEquals(ContainerState.RUNNING, vc.statusContainer("s1", "c1").state());
        assertThrows(InvalidStateException.class, () -> vc.startContainer("s1", "c1"));
        assertTrue(vc.processListContainer("s1", "c1", null).text().contains("sh"));
        vc.stopSandbox("s1", false);
        assertEquals(ContainerState.STOPPED, vc.statusContainer("s1", "c1").state());
        assertEquals(0, vc.statusContainer("s1", "c1").exitCode());
        vc.deleteSandbox("s1");
        assertFalse(Files.exists(root.resolve("sandboxes/s1")));
        assertEquals("hi", Files.readString(rootfs.resolve("hello")), "the caller's rootfs is untouched");
    }

    @Test
    void hotplugsTheHypervisorCannotDoAreRefusedNamingItAndChangeNothing() throws Exception {
        Path rootfs = Files.createDirectories(root.resolve("rootfs"));
        ContainerConfig cc = ContainerConfig.builder("c1").rootFs(rootfs.toString()).cmd(Cmd.builder("sh").build()).build();
        vc.runSandbox(config("s1").withContainers(List.of(cc)));
        org.vcj.api.DeviceInfo disk = new org.vcj.api.DeviceInfo(root.resolve("disk.img").toString(), "/dev/xyz", "b",
                0, 0, 0, 0, 0, false, null);
        org.vcj.api.NotSupportedException e = assertThrows(org.vcj.api.NotSupportedException.class,
                () -> vc.fetchSandbox("s1").addDevice(disk));
        assertEquals("hypervisor fake", e.provider());
        // the fake VM has 1 vCPU and 128 MiB: asking a container for more would need hotplug
        org.vcj.api.LinuxResources twoCpus = new org.vcj.api.LinuxResources(null, null, 200_000L, 100_000L, null, null);
        e = assertThrows(org.vcj.api.NotSupportedException.class, () -> vc.fetchSandbox("s1").updateContainer("c1", twoCpus));
        assertEquals("resizeVCPUs", e.operation());
        assertEquals("hypervisor fake", e.provider());
        org.vcj.api.LinuxResources moreMemory = new org.vcj.api.LinuxResources(512L << 20, null, null, null, null, null);
        e = assertThrows(org.vcj.api.NotSupportedException.class, () -> vc.fetchSandbox("s1").updateContainer("c1", moreMemory));
        assertEquals("resizeMemory", e.operation());
        assertFalse(agentCalls.contains("updateContainer"), "nothing reached the agent: " + agentCalls);
        assertFalse(hv.calls.stream().anyMatch(c -> c.startsWith("resize") || c.startsWith("addDevice")), hv.calls.toString());
        org.vcj.api.LinuxResources within = new org.vcj.api.LinuxResources(64L << 20, null, 100_000L, 100_000L, null, null);
        vc.fetchSandbox("s1").updateContainer("c1", within);
        assertTrue(agentCalls.contains("updateContainer"), "a limit within the VM needs no hotplug: " + agentCalls);
        vc.deleteSandbox("s1");
    }

    @Test
    void aFreshEngineReconnectsFromMetadata() {
        vc.runSandbox(config("s1"));
        VcService fresh = service();
        assertEquals(SandboxState.RUNNING, fresh.statusSandbox("s1").state());
        assertEquals(List.of("s1"), fresh.listSandbox().stream().map(s -> s.id()).toList());
        fresh.stopSandbox("s1", true);
        fresh.deleteSandbox("s1");
        assertTrue(fresh.listSandbox().isEmpty());
    }

    @Test
    void aVmThatDiedIsReportedStoppedAndCanBeDeleted() {
        vc.runSandbox(config("s1"));
        hv.running.clear();
        assertEquals(SandboxState.STOPPED, vc.listSandbox().get(0).state());
        vc.stopSandbox("s1", true);
        vc.deleteSandbox("s1");
        assertTrue(storage.data.isEmpty());
    }

    @Test
    void cleanupRemovesHalfCreatedSandboxes() {
        vc.runSandbox(config("s1"));
        SandboxRecord r = vc.engine().records.load("s1");
        vc.engine().records.save(new SandboxRecord(r.version(), r.id(), SandboxState.CREATING, r.config(), r.vm(),
                r.containers(), r.createdMillis(), false, r.factory()));
        assertEquals(List.of("s1"), vc.cleanup());
        assertTrue(storage.data.isEmpty());
        assertTrue(hv.calls.contains("stopVM s1"));
    }
}
