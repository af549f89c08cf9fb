package org.vcj.hypervisor.mock.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vcj.api.HypervisorConfig;
import org.vcj.api.hypervisor.VM;
import org.vcj.api.hypervisor.VMConfig;
import org.vcj.support.process.HostProcess;

/**
 * What an agent leaves when it dies first (kill -9 with the CLI that started it): a real runc container with its
 * {@code runc run} and {@code runc events} helpers, or a process in the sandbox's cgroup that no runtime recorded.
 * stopVM and cleanup must remove all of it. Needs root, runc and a static busybox (/bin/busybox).
 */
class AgentLeftoversTest {

    private static final Path CGROUPS = Path.of("/sys/fs/cgroup");

    @TempDir Path run;
    private final String sandbox = "lt-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    private final List<Process> started = new ArrayList<>();
    private final MockHypervisor mock = new MockHypervisor(AgentCommand.from(System::getProperty));

    @AfterEach
    void reap() {
        // also after a failure: nothing of the test may outlive it (a frozen process ignores SIGKILL until thawed)
        HostProcess.mentioning(run.toString()).forEach(HostProcess::kill);
        new CgroupLeftovers(CGROUPS).remove("/vcj/" + sandbox);
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void stopAfterTheAgentWasKilledRemovesItsContainerHelpersAndCgroups() throws Exception {
        VM vm = mock.startVM(new VMConfig(sandbox, HypervisorConfig.DEFAULT, run.toString(), List.of(), null), Duration.ofSeconds(60));
        HostProcess agent = new HostProcess(Long.parseLong(vm.state().get(MockHypervisor.PID)), Long.parseLong(vm.state().get(MockHypervisor.START_TIME)));
        Path runtime = run.resolve("agent/runtime");
        Path bundle = bundle("c1");
        // What the agent does for a container: a foreground `runc run`, then `runc events` to watch for OOM.
        start("runc", "--root", runtime.toString(), "run", "--bundle", bundle.toString(), "--pid-file", bundle.resolve("main.pid").toString(), "c1");
        long init = awaitPid(bundle.resolve("main.pid"));
        start("runc", "--root", runtime.toString(), "events", "--interval", "3600s", "c1");
        HostProcess container = HostProcess.of(init).orElseThrow();
        agent.kill(); // the agent dies first: nobody deletes the container
        assertTrue(agent.awaitExit(10_000));
        assertTrue(container.alive(), "the container outlives its agent");

        mock.stopVM(vm, true);

        assertFalse(container.alive(), "the container's process is gone");
        assertEquals(List.of(), HostProcess.mentioning(run.toString()), "no runc run/events or agent left");
        assertEquals(List.of(), list(runtime), "no OCI state left");
        assertEquals(List.of(), cgroupDirs(), "no cgroup of the sandbox left");
        assertFalse(Files.exists(run.resolve("agent.sock")));
    }

    @Test
    void cleanupKillsAFrozenProcessNoRuntimeRecordedAndRemovesItsCgroup() throws Exception {
        bundle("c2");
        Path hierarchy = Files.exists(CGROUPS.resolve("cgroup.controllers")) ? CGROUPS : CGROUPS.resolve("freezer");
        Path cg = Files.createDirectories(hierarchy.resolve("vcj").resolve(sandbox).resolve("c2"));
        Process sleeper = start("sleep", "600");
        Files.writeString(cg.resolve("cgroup.procs"), Long.toString(sleeper.pid()));
        // A paused container: SIGKILL alone is not delivered until it is thawed.
        Files.writeString(cg.resolve(hierarchy == CGROUPS ? "cgroup.freeze" : "freezer.state"), hierarchy == CGROUPS ? "1" : "FROZEN");

        mock.cleanup(run);

        assertTrue(sleeper.waitFor(10, TimeUnit.SECONDS), "the frozen process was thawed and killed");
        assertEquals(List.of(), cgroupDirs());
    }

    @Test
    void stopRemovesTheSandboxCgroupEvenWhenTheAgentDeletedTheBundlesNamingIt() throws Exception {
        VM vm = mock.startVM(new VMConfig(sandbox, HypervisorConfig.DEFAULT, run.toString(), List.of(), null), Duration.ofSeconds(60));
        // what an agent leaves when runc was killed inside `run`: the container's cgroup, its bundle already deleted
        Path hierarchy = Files.exists(CGROUPS.resolve("cgroup.controllers")) ? CGROUPS : CGROUPS.resolve("memory");
        Files.createDirectories(hierarchy.resolve("vcj").resolve(sandbox).resolve("c3"));
        mock.stopVM(vm, false);
        assertEquals(List.of(), cgroupDirs());
    }

    @Test
    void cgroupsAreOnlyTakenFromVcjPathsOfTheBundles() throws Exception {
        Path b = Files.createDirectories(run.resolve("agent/bundles/x"));
        Files.writeString(b.resolve("config.json"), "{\"linux\": {\"cgroupsPath\": \"/system.slice/c\"}}");
        Path c = Files.createDirectories(run.resolve("agent/bundles/y"));
        Files.writeString(c.resolve("config.json"), "{\"linux\": {\"cgroupsPath\": \"/vcj/" + sandbox + "/y\"}}");
        assertEquals(java.util.Set.of("/vcj/" + sandbox), CgroupLeftovers.sandboxCgroups(run.resolve("agent/bundles")));
    }

    /** An OCI bundle as the agent writes it: busybox rootfs, `sleep 600`, cgroup /vcj/<sandbox>/<cid>. */
    private Path bundle(String cid) throws Exception {
        Path bundle = Files.createDirectories(run.resolve("agent/bundles").resolve(cid));
        Path bin = Files.createDirectories(bundle.resolve("rootfs/bin"));
        Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"));
        Files.createSymbolicLink(bin.resolve("sleep"), Path.of("busybox"));
        Process spec = new ProcessBuilder("runc", "spec", "--bundle", bundle.toString()).inheritIO().start();
        assertTrue(spec.waitFor(30, TimeUnit.SECONDS) && spec.exitValue() == 0, "runc spec");
        String json = Files.readString(bundle.resolve("config.json"))
                .replace("\"terminal\": true", "\"terminal\": false")
                .replaceFirst("\"args\": \\[\\s*\"sh\"\\s*\\]", "\"args\": [\"sleep\", \"600\"]")
                .replace("\"linux\": {", "\"linux\": {\"cgroupsPath\": \"/vcj/" + sandbox + "/" + cid + "\",");
        Files.writeString(bundle.resolve("config.json"), json);
        return bundle;
    }

    private Process start(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        started.add(p);
        return p;
    }

    private static long awaitPid(Path pidFile) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (Files.isRegularFile(pidFile) && !Files.readString(pidFile).isBlank()) return Long.parseLong(Files.readString(pidFile).trim());
            Thread.sleep(50);
        }
        throw new AssertionError("runc wrote no " + pidFile + " within 30 s");
    }

    private List<Path> cgroupDirs() throws Exception {
        List<Path> found = new ArrayList<>();
        for (Path h : Files.exists(CGROUPS.resolve("cgroup.controllers")) ? List.of(CGROUPS) : list(CGROUPS)) {
            if (Files.isDirectory(h.resolve("vcj").resolve(sandbox))) found.add(h.resolve("vcj").resolve(sandbox));
        }
        return found;
    }

    private static List<Path> list(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
