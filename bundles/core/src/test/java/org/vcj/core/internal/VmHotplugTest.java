package org.vcj.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vcj.api.Cmd;
import org.vcj.api.ContainerConfig;
import org.vcj.api.Device;
import org.vcj.api.DeviceInfo;
import org.vcj.api.HypervisorType;
import org.vcj.api.InvalidConfigException;
import org.vcj.api.SandboxConfig;
import org.vcj.api.hypervisor.Hypervisor;
import org.vcj.api.hypervisor.HypervisorCapabilities;
import org.vcj.api.hypervisor.VM;
import org.vcj.api.hypervisor.VMConfig;

/** The core's side of disk hotplug, on a fake hypervisor that can hot-plug: ids saved first, unplugged on delete. */
class VmHotplugTest {

    @TempDir Path root;
    final Fakes.MemoryStorage storage = new Fakes.MemoryStorage();
    final List<String> calls = new CopyOnWriteArrayList<>();
    final Fakes.FakeHypervisor base = new Fakes.FakeHypervisor(calls, false, "fake");
    VcService vc;

    @AfterEach
    void unmountLeftovers() {
        new RootfsSharer(new SandboxPaths(root)).unmountAllUnder("test", root);
    }

    @Test
    void aContainersDiskIsPluggedWithASavedIdAndUnpluggedWhenTheContainerIsDeleted() throws Exception {
        vc = service(hotplugging());
        Path rootfs = Files.createDirectories(root.resolve("rootfs"));
        Path disk = Files.write(root.resolve("disk.img"), new byte[4096]);
        DeviceInfo d = new DeviceInfo(disk.toString(), "/dev/xyz", "b", 0, 0, 0, 0, 0, false, null);
        vc.runSandbox(SandboxConfig.builder("s1").hypervisorType(new HypervisorType("fake")).build());
        vc.createContainer("s1", ContainerConfig.builder("c1").rootFs(rootfs.toString()).cmd(Cmd.builder("sh").build())
                .deviceInfos(List.of(d)).build());
        String id = VmHotplug.deviceId("c1", "/dev/xyz");
        assertTrue(id.length() <= 20 && id.matches("vd[0-9a-f]+"), id);
        assertTrue(calls.contains("addDevice " + id + " " + disk), calls.toString());
        String record = storage.data.entrySet().stream().filter(e -> e.getKey().contains("s1"))
                .map(e -> new String(e.getValue(), java.nio.charset.StandardCharsets.UTF_8)).reduce("", String::concat);
        assertTrue(record.matches("(?s).*\"hotplugged\"\\s*:\\s*true.*") && record.contains("\"" + id + "\""),
                "the record says it was plugged, and its id: a later process removes it\n" + record);
        vc.stopContainer("s1", "c1");
        vc.deleteContainer("s1", "c1");
        assertTrue(calls.contains("removeDevice " + id), calls.toString());
        vc.deleteSandbox("s1");
    }

    @Test
    void aMissingHostFileIsRefusedBeforeAnythingIsSaved() throws Exception {
        vc = service(hotplugging());
        Path rootfs = Files.createDirectories(root.resolve("rootfs"));
        vc.runSandbox(SandboxConfig.builder("s1").hypervisorType(new HypervisorType("fake")).build());
        DeviceInfo d = new DeviceInfo(root.resolve("nope.img").toString(), "/dev/xyz", "b", 0, 0, 0, 0, 0, false, null);
        assertThrows(InvalidConfigException.class, () -> vc.createContainer("s1", ContainerConfig.builder("c1")
                .rootFs(rootfs.toString()).cmd(Cmd.builder("sh").build()).deviceInfos(List.of(d)).build()));
        assertEquals(List.of(), vc.statusSandbox("s1").containersStatus());
        assertTrue(calls.stream().noneMatch(c -> c.startsWith("addDevice")), calls.toString());
        vc.deleteSandbox("s1");
    }

    private VcService service(Hypervisor hv) {
        VcService s = new VcService(root, "mem", Duration.ofMillis(50));
        s.addStorage(storage, Map.of("vcj.storage", "mem"));
        s.addHypervisor(hv, Map.of("vcj.hypervisor", "fake"));
        s.setConnector((sid, address, timeout) -> Fakes.agent(new CopyOnWriteArrayList<>(), ""));
        return s;
    }

    /** The fake hypervisor with block hotplug: plugs and unplugs are logged. */
    private Hypervisor hotplugging() {
        return new Hypervisor() {
            @Override public HypervisorCapabilities capabilities() {
                return new HypervisorCapabilities(true, false, false, false, false, false, true, Set.of());
            }
            @Override public VM startVM(VMConfig config, Duration timeout) { return base.startVM(config, timeout); }
            @Override public void stopVM(VM vm, boolean force) { base.stopVM(vm, force); }
            @Override public void pauseVM(VM vm) { base.pauseVM(vm); }
            @Override public void resumeVM(VM vm) { base.resumeVM(vm); }
            @Override public void saveVM(VM vm, Path stateFile) { base.saveVM(vm, stateFile); }
            @Override public Device addDevice(VM vm, DeviceInfo info) {
                calls.add("addDevice " + info.id() + " " + info.hostPath());
                return new Device(info.id(), "b", info, "");
            }
            @Override public void removeDevice(VM vm, Device device) { calls.add("removeDevice " + device.id()); }
            @Override public VM resizeVCPUs(VM vm, int vcpus) { return base.resizeVCPUs(vm, vcpus); }
            @Override public VM resizeMemory(VM vm, int memoryMiB) { return base.resizeMemory(vm, memoryMiB); }
            @Override public List<Long> pids(VM vm) { return base.pids(vm); }
            @Override public void check(VM vm) { base.check(vm); }
        };
    }
}
