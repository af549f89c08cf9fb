package org.vcj.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * vcj as a containerd runtime: a real containerd (its own root, state and socket, started here) runs
 * {@code bin/containerd-shim-vcj-v2} for {@code ctr ... --runtime io.containerd.vcj.v2}, with an image imported from
 * an OCI archive built here from the distribution's busybox rootfs (no registry). The runtime's config file
 * ({@code --runtime-config-path}) chooses the hypervisor and the vcj state root. Mock hypervisor here (runc on the
 * host); one QEMU case tagged {@code vm}.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ContainerdShimIT {
    /** Short: containerd's and the shim's Unix socket paths live under it. */
    static final Path DIR = Path.of("/tmp", "vcj-ctd-" + ProcessHandle.current().pid());
    static final Path VROOT = DIR.resolve("vroot");
    static final Path SOCKET = DIR.resolve("c.sock");
    static final String IMAGE = "docker.io/vcj/busybox:it";
    static final String RUNTIME = "io.containerd.vcj.v2";
    private static final int CALL_SECONDS = 120;

    record Result(int code, String out, String err) {
        String all() {
            return "exit " + code + "\nstdout: " + out + "\nstderr: " + err;
        }
    }

    private static Process containerd;

    @BeforeAll
    static void startContainerd() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/containerd")) && Files.isExecutable(Path.of("/usr/bin/ctr")),
                "containerd and ctr are needed (Debian package containerd; scripts/setup.sh installs it)");
        Distribution.deleteTree(DIR);
        Files.createDirectories(DIR);
        Files.writeString(DIR.resolve("config.toml"), """
                version = 2
                root = "%s"
                state = "%s"
                disabled_plugins = ["io.containerd.grpc.v1.cri"]
                [timeouts]
                  "io.containerd.timeout.shim.cleanup" = "60s"
                [grpc]
                  address = "%s"
                [ttrpc]
                  address = "%s.ttrpc"
                """.formatted(DIR.resolve("root"), DIR.resolve("state"), SOCKET, SOCKET));
        writeConf("mock.conf", "mock");
        ProcessBuilder pb = new ProcessBuilder("containerd", "--config", DIR.resolve("config.toml").toString())
                .redirectErrorStream(true).redirectOutput(DIR.resolve("containerd.log").toFile());
        // containerd finds containerd-shim-vcj-v2 on its PATH
        pb.environment().put("PATH", Distribution.home().resolve("bin") + ":" + System.getenv("PATH"));
        containerd = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!ctr("version").out().contains("Server:")) {
            assertTrue(containerd.isAlive(), "containerd exited: " + Files.readString(DIR.resolve("containerd.log")));
            assertTrue(System.nanoTime() < deadline, "containerd did not serve within 30 s");
            Thread.sleep(200);
        }
        Path archive = OciArchive.build(Distribution.home().resolve("rootfs/busybox"), DIR.resolve("oci"), IMAGE);
        Result imported = ctr("images", "import", archive.toString());
        assertEquals(0, imported.code(), imported.all());
    }

    static void writeConf(String name, String hypervisor) throws IOException {
        Files.writeString(DIR.resolve(name), "root=" + VROOT + "\nhypervisor=" + hypervisor + "\n");
    }

    @AfterAll
    static void stopEverything() throws Exception {
        try {
            if (containerd != null && containerd.isAlive()) {
                for (String line : ctr("task", "ls", "-q").out().lines().toList()) {
                    ctr("task", "kill", "-s", "KILL", line.trim());
                }
                Thread.sleep(1000);
                for (String line : ctr("containers", "ls", "-q").out().lines().toList()) {
                    ctr("task", "rm", "-f", line.trim());
                    ctr("containers", "rm", line.trim());
                }
            }
        } finally {
            if (containerd != null) {
                containerd.destroy();
                if (!containerd.waitFor(10, TimeUnit.SECONDS)) containerd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            Cli cli = new Cli(VROOT, "fs");
            if (Files.isDirectory(VROOT)) {
                for (String line : cli.run("list").out().lines().skip(1).toList()) cli.run("delete", "--force", line.split("\\s+")[0]);
            }
            Distribution.stopProcessesMentioning(DIR.toString());
            unmountUnder(DIR);
            Distribution.deleteTree(DIR);
        }
    }

    // --- mock ---

    @Test
    void runRemovePrintsTheContainersOutput() throws Exception {
        Result r = run("--rm", "mock.conf", "t-echo", "echo", "hi");
        assertEquals(0, r.code(), r.all());
        assertEquals("hi", r.out().strip(), r.all());
        assertNothingLeft("t-echo");
    }

    @Test
    void exitStatusIsTheContainers() throws Exception {
        Result r = run("--rm", "mock.conf", "t-exit", "sh", "-c", "echo to-stderr >&2; exit 3");
        assertEquals(3, r.code(), r.all());
        assertTrue(r.err().contains("to-stderr"), "stderr is relayed: " + r.all());
        assertNothingLeft("t-exit");
    }

    @Test
    void stdinReachesTheContainer() throws Exception {
        Result r = call(List.of("ctr", "-a", SOCKET.toString(), "run", "--rm", "--runtime", RUNTIME,
                "--runtime-config-path", DIR.resolve("mock.conf").toString(), IMAGE, "t-stdin", "sh", "-c", "tr a-z A-Z"),
                "hello from stdin\n");
        assertEquals(0, r.code(), r.all());
        assertEquals("HELLO FROM STDIN", r.out().strip(), r.all());
        assertNothingLeft("t-stdin");
    }

    @Test
    void taskEventsReachContainerdIncludingAnOutOfMemoryKill() throws Exception {
        Path log = DIR.resolve("events-oom.txt");
        Process events = new ProcessBuilder("ctr", "-a", SOCKET.toString(), "events").redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            Thread.sleep(500);
            // the agent watches for OOM kills from the container's start on: allocate once that is under way
            Result r = run("--rm", "mock.conf", "t-oom", "--memory-limit", "16777216", "--",
                    "sh", "-c", "sleep 2; echo start; x=$(head -c 64000000 /dev/zero | tr '\\000' a); echo survived");
            assertEquals(137, r.code(), "killed for lack of memory: " + r.all());
            assertTrue(!r.out().contains("survived"), r.all());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            List<String> topics = List.of("/tasks/create", "/tasks/start", "/tasks/oom", "/tasks/exit", "/tasks/delete");
            String seen;
            while (!topics.stream().allMatch((seen = Files.readString(log))::contains)) {
                assertTrue(System.nanoTime() < deadline, "events missing after 20 s: " + seen);
                Thread.sleep(250);
            }
            assertTrue(seen.lines().anyMatch(l -> l.contains("/tasks/exit") && l.contains("\"t-oom\"")
                    && l.contains("\"exit_status\":137")), "the exit event carries the status: " + seen);
            assertTrue(seen.lines().anyMatch(l -> l.contains("/tasks/oom") && l.contains("\"t-oom\"")), seen);
        } finally {
            events.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        assertNothingLeft("t-oom");
    }

    @Test
    void terminalRunGetsAPtyOfTheClientsSize() throws Exception {
        // script(1) gives ctr a terminal; ctr puts it in raw mode and sends its size with ResizePty
        String ctrRun = String.join(" ", "ctr", "-a", SOCKET.toString(), "run", "-t", "--rm", "--runtime", RUNTIME,
                "--runtime-config-path", DIR.resolve("mock.conf").toString(), IMAGE, "t-tty",
                "sh", "-c", "'sleep 1; tty; stty size; exit 6'");
        Result r = call(List.of("script", "-eqc", "stty rows 33 cols 101; " + ctrRun, "/dev/null"), null);
        assertEquals(6, r.code(), r.all());
        assertTrue(r.out().contains("/dev/pts/"), "the process's stdin is a terminal: " + r.all());
        assertTrue(r.out().contains("33 101"), "the terminal has the client's size: " + r.all());
        assertNothingLeft("t-tty");
    }

    @Test
    void detachedTaskExecPsPauseResumeMetricsKill() throws Exception {
        String id = "t-detached";
        Result started = run("-d", "mock.conf", id, "sh", "-c", "echo ready > /tmp/state; exec sleep 600");
        assertEquals(0, started.code(), started.all());
        try {
            String pid = taskLine(id).split("\\s+")[1];
            assertEquals("RUNNING", taskLine(id).split("\\s+")[2]);

            Result exec = ctr("task", "exec", "--exec-id", "e1", id, "sh", "-c", "cat /tmp/state; exit 4");
            assertEquals(4, exec.code(), exec.all());
            assertEquals("ready", exec.out().strip(), exec.all());

            Result ps = ctr("task", "ps", id);
            assertEquals(0, ps.code(), ps.all());
            assertTrue(ps.out().lines().skip(1).anyMatch(l -> l.split("\\s+")[0].equals(pid)),
                    "ps lists the init process " + pid + ": " + ps.all());

            assertEquals(0, ctr("task", "pause", id).code());
            assertEquals("PAUSED", taskLine(id).split("\\s+")[2]);
            String status = new Cli(VROOT, "fs").run("status", id).out();
            assertTrue(status.lines().skip(1).anyMatch(l -> l.startsWith(id) && l.toLowerCase().contains("paused")),
                    "vcj's record of the container says paused: " + status);
            assertEquals(0, ctr("task", "resume", id).code());
            assertEquals("RUNNING", taskLine(id).split("\\s+")[2]);

            Result metrics = ctr("task", "metrics", id);
            assertEquals(0, metrics.code(), metrics.all());
            assertTrue(metrics.out().contains("memory.usage_in_bytes") && metrics.out().contains("pids.current"), metrics.all());
            long usage = Long.parseLong(metricsValue(metrics.out(), "memory.usage_in_bytes"));
            assertTrue(usage > 0, "the container uses memory: " + metrics.all());

            assertEquals(0, ctr("task", "kill", "-s", "KILL", id).code());
            awaitTask(id, l -> l.contains("STOPPED"), 30);
        } finally {
            ctr("task", "rm", "-f", id);
            ctr("containers", "rm", id);
        }
        assertNothingLeft(id);
    }

    @Test
    void twoContainersShareOnePodSandbox() throws Exception {
        Result pod = run("-d", "mock.conf", "pod-a", "--annotation", "io.kubernetes.cri.container-type=sandbox", "--",
                "sleep", "600");
        assertEquals(0, pod.code(), pod.all());
        try {
            Result second = run("-d", "mock.conf", "pod-a-c2", "--annotation", "io.kubernetes.cri.container-type=container",
                    "--annotation", "io.kubernetes.cri.sandbox-id=pod-a", "--", "sh", "-c", "echo second > /tmp/who; exec sleep 600");
            assertEquals(0, second.code(), second.all());
            String list = new Cli(VROOT, "fs").run("list").out();
            assertTrue(list.lines().anyMatch(l -> l.startsWith("pod-a ") && l.split("\\s+")[3].equals("2")),
                    "one sandbox pod-a with 2 containers: " + list);
            assertTrue(list.lines().noneMatch(l -> l.startsWith("pod-a-c2")), "no sandbox of its own for the second: " + list);
            assertEquals(1, shims().size(), "one shim serves the pod: " + shims());
            Result exec = ctr("task", "exec", "--exec-id", "who", "pod-a-c2", "cat", "/tmp/who");
            assertEquals("second", exec.out().strip(), exec.all());
        } finally {
            for (String id : List.of("pod-a-c2", "pod-a")) {
                ctr("task", "kill", "-s", "KILL", id);
                awaitTask(id, l -> l.isEmpty() || l.contains("STOPPED"), 30);
                ctr("task", "rm", "-f", id);
                ctr("containers", "rm", id);
            }
        }
        assertNothingLeft("pod-a");
    }

    @Test
    void aBadRuntimeConfigIsAClearErrorAndMakesNothing() throws Exception {
        Files.writeString(DIR.resolve("bad.conf"), "hypervisr=qemu\n");
        Result r = run("--rm", "bad.conf", "t-bad", "echo", "hi");
        assertTrue(r.code() != 0, r.all());
        assertTrue(r.err().contains("unknown key 'hypervisr'") && r.err().contains("bad.conf"),
                "the error names the file and the key: " + r.all());
        ctr("containers", "rm", "t-bad");
        assertNothingLeft("t-bad");
    }

    /**
     * One service for two pods: one process, containerd's oom_score_adj + 1, its own session; Shutdown of one pod's
     * task leaves the other; a kill -9 of the service leaves containerd's delete to remove the other pod's sandbox,
     * and the next start starts a new service.
     */
    @Test
    void twoPodsShareOneServiceShutdownOfOneLeavesTheOtherAndAKilledServiceIsCleanedUp() throws Exception {
        List<String> ids = List.of("pod-x", "pod-y");
        try {
            for (String id : ids) {
                Result r = run("-d", "mock.conf", id, "--annotation", "io.kubernetes.cri.container-type=sandbox", "--", "sleep", "600");
                assertEquals(0, r.code(), r.all());
            }
            List<String> service = shims();
            assertEquals(1, service.size(), "one vcj shim service serves both pods: " + service);
            long pid = pidOf(service.get(0));
            assertEquals(Math.min(1000, oomScoreAdj(containerd.pid()) + 1), oomScoreAdj(pid), "the service's oom_score_adj is containerd's + 1");
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            assertEquals(Long.toString(pid), stat.substring(stat.lastIndexOf(')') + 2).split(" ")[3], "the service leads its own session");
            // containerd's delete of pod-x ends with a Shutdown: only pod-x goes
            assertEquals(0, ctr("task", "kill", "-s", "KILL", "pod-x").code());
            awaitTask("pod-x", l -> l.contains("STOPPED"), 30);
            Result rm = ctr("task", "rm", "pod-x");
            assertEquals(0, rm.code(), rm.all());
            assertNothingLeft("pod-x");
            assertEquals("RUNNING", taskLine("pod-y").split("\\s+")[2]);
            Result exec = ctr("task", "exec", "--exec-id", "still", "pod-y", "echo", "alive");
            assertEquals("alive", exec.out().strip(), exec.all());
            assertEquals(List.of(pid), shims().stream().map(ContainerdShimIT::pidOf).toList(), "the same service serves on");

            assertTrue(Distribution.processesInCgroup("/vcj/pod-y/").size() > 0, "pod-y's container runs");
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly); // kill -9
            // containerd sees the service go and runs `containerd-shim-vcj-v2 delete` for pod-y: its sandbox goes
            assertNothingLeft("pod-y");
            Result again = run("--rm", "mock.conf", "t-after-crash", "echo", "again");
            assertEquals(0, again.code(), again.all());
            assertEquals("again", again.out().strip(), again.all());
            List<String> next = shims();
            assertEquals(1, next.size(), next.toString());
            assertTrue(pidOf(next.get(0)) != pid, "a new service: " + next);
        } finally {
            for (String id : ids) {
                ctr("task", "kill", "-s", "KILL", id);
                ctr("task", "rm", "-f", id);
                ctr("containers", "rm", id);
            }
        }
        assertNothingLeft("t-after-crash");
    }

    @Test
    void aLongRootAndA64CharacterIdWork() throws Exception {
        Path longRoot = DIR.resolve("r".repeat(100 - DIR.toString().length() - 1));
        assertEquals(100, longRoot.toString().length());
        Files.writeString(DIR.resolve("long.conf"), "root=" + longRoot + "\nhypervisor=mock\n");
        String id = "0123456789abcdef".repeat(4);
        Result r = run("--rm", "long.conf", id, "echo", "long");
        assertEquals(0, r.code(), r.all());
        assertEquals("long", r.out().strip(), r.all());
        assertEquals("", taskLine(id));
        String list = new Cli(longRoot, "fs").run("list").out();
        assertTrue(list.lines().skip(1).noneMatch(l -> l.startsWith(id)), list);
        assertTrue(!Files.exists(longRoot.resolve("sandboxes").resolve(id)), "no sandbox directory left");
        Path links = Path.of("/tmp", "vcj-s-" + System.getProperty("user.name"));
        if (Files.isDirectory(links)) {
            try (var l = Files.list(links)) {
                assertTrue(l.filter(Files::isSymbolicLink).noneMatch(x -> readLink(x).startsWith(longRoot.toString())),
                        "the short socket link of the sandbox is removed with it");
            }
        }
    }

    private static String readLink(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            return "";
        }
    }

    private static long pidOf(String processLine) {
        return Long.parseLong(processLine.substring(0, processLine.indexOf(':')));
    }

    private static int oomScoreAdj(long pid) throws IOException {
        return Integer.parseInt(Files.readString(Path.of("/proc", Long.toString(pid), "oom_score_adj")).trim());
    }

    // --- QEMU ---

    @Test
    @Tag("vm")
    void runRemoveInAQemuSandbox() throws Exception {
        writeConf("qemu.conf", "qemu");
        Result r = run("--rm", "qemu.conf", "t-qemu", "sh", "-c", "echo hi from $(uname -r); exit 5");
        assertEquals(5, r.code(), r.all());
        assertTrue(r.out().startsWith("hi from "), r.all());
        assertTrue(!r.out().contains("hi from " + hostKernel()), "the guest kernel, not the host's: " + r.all());
        assertNothingLeft("t-qemu");
    }

    @Test
    @Tag("vm")
    void theContainersOciSpecIsAppliedInTheGuest() throws Exception {
        // ctr's spec: NET_ADMIN added, a seccomp profile (inlined into linux.seccomp by ctr) denying mkdir and chmod,
        // and ctr's default masked paths (/sys/firmware: an empty read-only tmpfs; the guest's has acpi)
        writeConf("qemu.conf", "qemu");
        Path profile = DIR.resolve("deny-mkdir.json");
        Files.writeString(profile, "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_X86_64\"],"
                + "\"syscalls\":[{\"names\":[\"mkdir\",\"mkdirat\",\"chmod\",\"fchmodat\",\"fchmod\"],"
                + "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":1}]}");
        Result r = run("--rm", "qemu.conf", "t-spec", "--cap-add", "CAP_NET_ADMIN", "--seccomp", "--seccomp-profile",
                profile.toString(), "--", "sh", "-c", "mkdir /tmp/d 2>&1; chmod 600 /etc/passwd 2>&1;"
                        + " ls /sys/firmware | wc -l; uname -r; ip link add br0 type bridge 2>&1"
                        + " && ip link add v0 type veth && ip link set v0 master br0"
                        + " && ip -o link show | cut -d: -f2 | tr -d ' ' | tr '\\n' ,");
        List<String> out = r.out().lines().map(String::strip).toList();
        assertEquals(List.of("mkdir: can't create directory '/tmp/d': Operation not permitted",
                "chmod: /etc/passwd: Operation not permitted", "0"), out.subList(0, Math.min(3, out.size())),
                "seccomp and masked paths: " + r.all());
        assertTrue(out.size() > 4 && out.get(3).endsWith("-vcj"), "in the guest kernel: " + r.all());
        assertTrue(out.get(4).contains("br0,") && out.get(4).contains("v0@veth0,") && out.get(4).contains("veth0@v0,"),
                "NET_ADMIN makes a bridge and a veth pair in the guest: " + r.all());
        assertEquals(0, r.code(), r.all());
        assertNothingLeft("t-spec");
    }

    // --- helpers ---

    private static String hostKernel() throws Exception {
        return call(List.of("uname", "-r"), null).out().strip();
    }

    /** {@code ctr run MODE --runtime io.containerd.vcj.v2 --runtime-config-path CONF [EXTRA --] IMAGE ID CMD...}. */
    private static Result run(String mode, String conf, String id, String... rest) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ctr", "-a", SOCKET.toString(), "run", mode, "--runtime", RUNTIME,
                "--runtime-config-path", DIR.resolve(conf).toString()));
        int dash = List.of(rest).indexOf("--");
        List<String> options = dash < 0 ? List.of() : List.of(rest).subList(0, dash);
        List<String> command = dash < 0 ? List.of(rest) : List.of(rest).subList(dash + 1, rest.length);
        cmd.addAll(options);
        cmd.add(IMAGE);
        cmd.add(id);
        cmd.addAll(command);
        return call(cmd, null);
    }

    static Result ctr(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ctr", "-a", SOCKET.toString()));
        cmd.addAll(List.of(args));
        return call(cmd, null);
    }

    static Result call(List<String> cmd, String stdin) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (stdin == null) pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        CompletableFuture<byte[]> out = drain(p.getInputStream());
        CompletableFuture<byte[]> err = drain(p.getErrorStream());
        if (stdin != null) {
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!p.waitFor(CALL_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", cmd) + " did not finish in " + CALL_SECONDS + " s");
        }
        return new Result(p.exitValue(), new String(out.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8),
                new String(err.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8));
    }

    private static CompletableFuture<byte[]> drain(java.io.InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return in.readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
    }

    /** The task's line of {@code ctr task ls} ("" when there is none). */
    static String taskLine(String id) throws Exception {
        return ctr("task", "ls").out().lines().filter(l -> l.split("\\s+")[0].equals(id)).findFirst().orElse("");
    }

    static void awaitTask(String id, Predicate<String> line, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        String last;
        while (!line.test(last = taskLine(id))) {
            assertTrue(System.nanoTime() < deadline, "task " + id + " not as expected within " + seconds + " s: '" + last + "'");
            Thread.sleep(200);
        }
    }

    private static String metricsValue(String table, String key) {
        return table.lines().filter(l -> l.startsWith(key + " ")).map(l -> l.split("\\s+")[1]).findFirst().orElse("0");
    }

    /** The vcj shim services of this test (launcher JVMs serving containerd-shim, one per vcj root). */
    static List<String> shims() {
        return Distribution.processesMentioning("containerd-shim serve").stream().filter(l -> l.contains("--root=" + VROOT + " ")).toList();
    }

    /** No sandbox in {@code vcj list}, no container process of the sandbox, no task in containerd. */
    static void assertNothingLeft(String id) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            String list = new Cli(VROOT, "fs").run("list").out();
            boolean sandbox = list.lines().skip(1).anyMatch(l -> l.split("\\s+")[0].equals(id));
            List<String> contained = Distribution.processesInCgroup("/vcj/" + id + "/");
            String task = taskLine(id);
            if (!sandbox && contained.isEmpty() && task.isEmpty()) {
                assertTrue(!Files.exists(VROOT.resolve("sandboxes").resolve(id)), "no sandbox directory left for " + id);
                return;
            }
            assertTrue(System.nanoTime() < deadline, "left of " + id + " after 30 s: sandbox listed=" + sandbox
                    + ", container processes=" + contained + ", task='" + task + "'\n" + list);
            Thread.sleep(250);
        }
    }

    private static void unmountUnder(Path dir) throws Exception {
        List<String> points = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String p = line.split(" ")[4];
            if (p.startsWith(dir + "/")) points.add(p);
        }
        points.sort((a, b) -> b.length() - a.length());
        for (String p : points) call(List.of("umount", "-l", p), null);
    }

    /** An OCI image layout archive of one layer (a directory tree), named for {@code ctr images import}. */
    static final class OciArchive {
        private OciArchive() { }

        static Path build(Path rootfs, Path dir, String name) throws Exception {
            return build(rootfs, dir, name, "\"sh\"");
        }

        /** The same, with the image's {@code Cmd}: {@code cmdJson} is the JSON array's content. */
        static Path build(Path rootfs, Path dir, String name, String cmdJson) throws Exception {
            Path blobs = dir.resolve("layout/blobs/sha256");
            Files.createDirectories(blobs);
            Path layer = dir.resolve("layer.tar");
            assertEquals(0, call(List.of("tar", "-C", rootfs.toString(), "--numeric-owner", "-cf", layer.toString(), "."), null).code());
            String layerDigest = store(blobs, Files.readAllBytes(layer));
            long layerSize = Files.size(layer);
            String config = """
                    {"architecture":"amd64","os":"linux","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":[%s]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}"""
                    .formatted(cmdJson, layerDigest);
            String configDigest = store(blobs, config.getBytes(StandardCharsets.UTF_8));
            String manifest = """
                    {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%d},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%d}]}"""
                    .formatted(configDigest, config.getBytes(StandardCharsets.UTF_8).length, layerDigest, layerSize);
            String manifestDigest = store(blobs, manifest.getBytes(StandardCharsets.UTF_8));
            Files.writeString(dir.resolve("layout/index.json"), """
                    {"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%d,"annotations":{"io.containerd.image.name":"%s","org.opencontainers.image.ref.name":"it"}}]}"""
                    .formatted(manifestDigest, manifest.getBytes(StandardCharsets.UTF_8).length, name));
            Files.writeString(dir.resolve("layout/oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
            Path archive = dir.resolve("image.tar");
            assertEquals(0, call(List.of("tar", "-C", dir.resolve("layout").toString(), "-cf", archive.toString(), "."), null).code());
            return archive;
        }

        private static String store(Path blobs, byte[] data) throws Exception {
            String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
            Files.write(blobs.resolve(digest), data);
            return digest;
        }
    }
}
