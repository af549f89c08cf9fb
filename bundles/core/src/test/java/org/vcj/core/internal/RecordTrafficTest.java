package org.vcj.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.vcj.api.HypervisorType;
import org.vcj.api.SandboxConfig;
import org.vcj.api.VCSandbox;

/**
 * The record traffic of one {@code vcj run} (create and start, attach, wait, stop, delete), counted by a storage
 * that counts: each operation reads the record once and saves each state change once.
 */
class RecordTrafficTest {

    @TempDir Path root;
    final CountingStorage storage = new CountingStorage();
    final List<String> calls = new CopyOnWriteArrayList<>();

    @AfterEach
    void unmountLeftovers() {
        new RootfsSharer(new SandboxPaths(root)).unmountAllUnder("test", root);
    }

    @Test
    void oneRunReadsEachRecordOncePerOperation() throws Exception {
        VcService vc = new VcService(root, "counting", Duration.ofMillis(50));
        vc.addStorage(storage, Map.of("vcj.storage", "counting"));
        vc.addHypervisor(new Fakes.FakeHypervisor(calls, false, "fake"), Map.of("vcj.hypervisor", "fake"));
        vc.setConnector((sid, address, timeout) -> Fakes.agent(calls, ""));
        Path rootfs = Files.createDirectories(root.resolve("rootfs"));
        SandboxConfig config = SandboxConfig.builder("r1").hypervisorType(new HypervisorType("fake"))
                .containers(List.of(ContainerConfig.builder("r1").rootFs(rootfs.toString()).cmd(Cmd.builder("sh").build()).build()))
                .build();

        VCSandbox s = vc.runSandbox(config);
        // locked; "exists?" load; saves: CREATING, its VM, the container CREATING, READY (after the agent made
        // it), the sandbox READY, the container RUNNING, the sandbox RUNNING
        assertEquals("loads=1 saves=7 locks=1", storage.takeCounts(), "runSandbox");
        s.ioStream("r1", "r1");
        assertEquals("loads=1 saves=0 locks=0", storage.takeCounts(), "ioStream");
        assertEquals(0, s.waitProcess("r1", "r1"));
        // the wait's load, then under the lock the load and the save of the exit (its code is not asked again)
        assertEquals("loads=2 saves=1 locks=1", storage.takeCounts(), "waitProcess");
        vc.stopSandbox("r1", false);
        assertEquals("loads=1 saves=1 locks=1", storage.takeCounts(), "stopSandbox");
        vc.deleteSandbox("r1");
        assertEquals("loads=1 saves=1 locks=1", storage.takeCounts(), "deleteSandbox");
        assertTrue(storage.inner.data.isEmpty());
        assertEquals(1, calls.stream().filter(c -> c.startsWith("waitProcess")).count(), "exit asked once: " + calls);
    }
}
