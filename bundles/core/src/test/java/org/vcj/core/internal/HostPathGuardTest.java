package org.vcj.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vcj.api.Cmd;
import org.vcj.api.ContainerConfig;
import org.vcj.api.HypervisorType;
import org.vcj.api.InvalidConfigException;
import org.vcj.api.SandboxConfig;

/** The host's root and kernel filesystems are never a container's rootfs; an unwritable state root is refused first. */
class HostPathGuardTest {

    @TempDir Path tmp;
    final Fakes.MemoryStorage storage = new Fakes.MemoryStorage();
    final Fakes.FakeHypervisor hv = new Fakes.FakeHypervisor();

    private VcService service(Path root) {
        VcService s = new VcService(root, "mem", Duration.ofMillis(50));
        s.addStorage(storage, Map.of("vcj.storage", "mem"));
        s.addHypervisor(hv, Map.of("vcj.hypervisor", "fake"));
        List<String> calls = new CopyOnWriteArrayList<>();
        s.setConnector((sid, address, timeout) -> Fakes.agent(calls, ""));
        return s;
    }

    private static ContainerConfig container(String rootfs) {
        return ContainerConfig.builder("c1").rootFs(rootfs).cmd(Cmd.builder("sh").build()).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/proc", "/sys", "/dev", "/proc/self/root", "/proc/1", "/dev/shm", "//", "/sys/fs/cgroup",
            "/proc/self/cwd"})
    void theHostsRootAndKernelFilesystemsAreRefusedNamingTheField(String rootfs) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> HostPathGuard.requireContainerRootfs(container(rootfs)));
        assertEquals("ContainerConfig.RootFs", e.field());
        assertTrue(e.getMessage().contains("c1") && e.getMessage().contains("give a directory"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/tmp/..", "/usr/../proc"})
    void dotDotIsAlreadyRefusedByTheApi(String rootfs) {
        assertEquals("ContainerConfig.RootFs", assertThrows(InvalidConfigException.class, () -> container(rootfs)).field());
    }

    @Test
    void aSymlinkToTheHostsRootIsRefusedAndSaysWhereItLeads() throws Exception {
        Path link = Files.createSymbolicLink(tmp.resolve("innocent"), Path.of("/"));
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> HostPathGuard.requireContainerRootfs(container(link.toString())));
        assertTrue(e.getMessage().contains("resolves to /"), e.getMessage());
        Path toProc = Files.createSymbolicLink(tmp.resolve("p"), Path.of("/proc"));
        assertThrows(InvalidConfigException.class, () -> HostPathGuard.requireContainerRootfs(container(toProc + "/self")));
    }

    @Test
    void anOrdinaryDirectoryIsAccepted() throws Exception {
        Path rootfs = Files.createDirectories(tmp.resolve("rootfs"));
        HostPathGuard.requireContainerRootfs(container(rootfs.toString()));
        HostPathGuard.requireContainerRootfs(container(tmp.resolve("not-yet").toString()));
    }

    @Test
    void everyFrontEndGetsTheRefusalAndNothingIsMade() {
        VcService vc = service(tmp.resolve("root"));
        SandboxConfig cfg = SandboxConfig.builder("s1").hypervisorType(new HypervisorType("fake")).build()
                .withContainers(List.of(container("/")));
        assertThrows(InvalidConfigException.class, () -> vc.runSandbox(cfg));
        assertEquals(List.of(), hv.calls, "no VM was started");
        assertTrue(storage.data.isEmpty(), "no record was saved");
    }

    @Test
    void anUnwritableRootIsReportedAsSuchBeforeAnythingIsMade() {
        VcService vc = service(Path.of("/proc/self"));
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> vc.runSandbox(SandboxConfig.builder("s1").hypervisorType(new HypervisorType("fake")).build()));
        assertEquals("root", e.field());
        assertTrue(e.getMessage().contains("/proc/self") && e.getMessage().contains("not writable"), e.getMessage());
        assertEquals(List.of(), hv.calls);
        assertTrue(storage.data.isEmpty());
    }
}
