package org.vcj.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Real QEMU VMs (TCG here): containers run by crun inside the guest, driven by fresh CLI JVMs. Two VMs in all.
 */
@Tag("vm")
class QemuSandboxIT {

    private static final Path ROOT = Path.of(System.getProperty("java.io.tmpdir"), "vcj-qemu-" + ProcessHandle.current().pid());

    private final Cli cli = new Cli(ROOT, "fs");

    @Test
    void aContainerRunsUnderTheGuestKernelAndLeavesNothing() throws Exception {
        String guestKernel = Files.readAllLines(Distribution.home().resolve("guest/manifest")).stream()
                .filter(l -> l.startsWith("kernel ")).findFirst().orElseThrow().substring("kernel ".length());
        assertTrue(guestKernel.endsWith("-vcj"), "vcj's own guest kernel: " + guestKernel);
        Cli.Result r = cli.run("run", "--hypervisor=qemu", "--id=q-uname", "--", "uname", "-r");
        assertEquals(0, r.code(), r.err());
        assertEquals(guestKernel + "\n", r.out());
        assertNotEquals(System.getProperty("os.version") + "\n", r.out(), "the guest kernel, not the host's");
        assertNothingLeft("q-uname");
    }

    @Test
    void aDetachedVmSandboxAnswersLaterCliCalls() throws Exception {
        // The container appends `date +%s` to /ticks every second; its rootfs is an overlay on the host, shared over
        // 9p, so the host reads the file the guest writes.
        Cli.Result run = cli.run("run", "--detach", "--hypervisor=qemu", "--id=q-long", "--", "sh", "-c",
                "while :; do date +%s >> /ticks; sleep 1; done");
        assertEquals(0, run.code(), run.err());
        Path console = ROOT.resolve("sandboxes/q-long/vm/console.log");
        assertTrue(Files.readString(console).contains("oci runtime crun"), "the guest agent runs containers with crun");
        assertEquals(1, namespacesOf("q-long").size(), "without --netns the VM runs in a namespace vcj made for it");
        Path ticks = ROOT.resolve("sandboxes/q-long/vm/shared/q-long/rootfs/ticks");
        Path qmp = ROOT.resolve("sandboxes/q-long/vm/qmp.sock");

        Cli.Result exec = cli.run("exec", "q-long", "--", "sh", "-c", "echo in $(hostname); exit 5");
        assertEquals(5, exec.code(), exec.err());
        assertEquals("in q-long\n", exec.out());

        Cli.Result status = cli.run("status", "q-long");
        assertEquals(0, status.code(), status.err());
        String pid = field(status.out(), "q-long", 2);
        assertTrue(pid.matches("[0-9]+"), status.out());
        Cli.Result ps = cli.run("ps", "q-long");
        assertEquals(0, ps.code(), ps.err());
        assertTrue(ps.out().lines().anyMatch(l -> List.of(l.trim().split("\\s+")).contains(pid)),
                "ps lists the container's main process " + pid + ":\n" + ps.out());
        assertEquals("UID        PID  PPID  C STIME TTY          TIME CMD", ps.out().lines().findFirst().orElse(""),
                "the same columns as on the mock, though the guest's only ps is busybox's");
        assertTrue(ps.out().lines().anyMatch(l -> l.matches("root +" + pid + " +\\d+ +\\d+ \\d\\d:\\d\\d \\? +\\d\\d:\\d\\d:\\d\\d sh -c while :; do date .*")),
                ps.out());
        Cli.Result missing = cli.run("exec", "q-long", "--", "nosuchcmd");
        assertEquals(127, missing.code(), missing.err());
        assertTrue(missing.err().startsWith("vcj: command 'nosuchcmd' not found in container q-long: "), missing.err());

        long before = lines(ticks);
        assertTrue(waitUntil(() -> lines(ticks) >= before + 3, 30_000), "the loop ticks while running: " + lines(ticks));
        assertEquals("running", qmpStatus(qmp));

        Cli.Result pause = cli.run("pause", "q-long");
        assertEquals(0, pause.code(), pause.err());
        assertEquals("paused", qmpStatus(qmp), "QMP says the VM itself is paused");
        assertTrue(cli.run("status", "q-long").out().contains("paused (VM paused)"));
        long frozen = lines(ticks);
        String last = lastLine(ticks);
        Thread.sleep(4_000);
        assertEquals(frozen, lines(ticks), "no tick while paused");
        assertEquals(last, lastLine(ticks));

        Cli.Result resume = cli.run("resume", "q-long");
        assertEquals(0, resume.code(), resume.err());
        assertEquals("running", qmpStatus(qmp));
        assertTrue(waitUntil(() -> lines(ticks) >= frozen + 3, 30_000), "the loop ticks again after resume: " + lines(ticks));

        Cli.Result stats = cli.run("stats", "q-long");
        assertEquals(0, stats.code(), stats.err());
        String row = stats.out().lines().filter(l -> l.startsWith("q-long ")).findFirst().orElseThrow(() -> new AssertionError(stats.out()));
        assertTrue(row.matches("q-long\\s+[0-9]+\\.[0-9]{3}s\\s.*"), "CPU time used: " + row);
        assertTrue(row.matches(".*\\s[0-9.]+ (KiB|MiB|GiB)(\\s.*|$)"), "memory in use: " + row);
        String vm = stats.out().lines().findFirst().orElse("");
        assertTrue(vm.matches("sandbox q-long: 2 vCPUs, VM memory on the host \\(PSS\\) [0-9.]+ MiB"), "the VM's PSS: " + vm);

        assertEquals(0, cli.run("kill", "q-long", "KILL").code());
        assertTrue(waitUntil(() -> containerField(1).equals("stopped"), 30_000), "the container stopped");
        assertEquals("137", containerField(3), "killed by SIGKILL: 128+9");
        assertEquals(0, cli.run("stop", "q-long").code());
        assertEquals(0, cli.run("delete", "q-long").code());
        assertNothingLeft("q-long");
    }

    /** Column {@code n} of the q-long container's line of {@code vcj status q-long}. */
    private String containerField(int n) {
        try {
            return field(cli.run("status", "q-long").out(), "q-long", n);
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Column {@code n} (0-based) of the line that starts with {@code first}, or "" when there is none. */
    private static String field(String table, String first, int n) {
        return table.lines().map(l -> l.trim().split("\\s+")).filter(f -> f[0].equals(first) && f.length > n)
                .map(f -> f[n]).reduce((a, b) -> b).orElse("");
    }

    private static long lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).size() : 0;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String lastLine(Path file) throws java.io.IOException {
        List<String> l = Files.readAllLines(file);
        return l.isEmpty() ? "" : l.get(l.size() - 1);
    }

    private static boolean waitUntil(java.util.function.BooleanSupplier ok, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            if (ok.getAsBoolean()) return true;
            Thread.sleep(200);
        }
        return ok.getAsBoolean();
    }

    /** The VM's run state as QEMU's own QMP {@code query-status} reports it (bounded: 10 s). */
    private static String qmpStatus(Path socket) throws Exception {
        java.util.concurrent.CompletableFuture<String> answer = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try (java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(socket));
                 java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(
                         java.nio.channels.Channels.newInputStream(ch), java.nio.charset.StandardCharsets.UTF_8))) {
                in.readLine(); // greeting
                send(ch, "{\"execute\":\"qmp_capabilities\"}");
                reply(in);
                send(ch, "{\"execute\":\"query-status\"}");
                return reply(in);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        String reply = answer.get(10, java.util.concurrent.TimeUnit.SECONDS);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"status\"\\s*:\\s*\"([a-z-]+)\"").matcher(reply);
        assertTrue(m.find(), reply);
        return m.group(1);
    }

    private static void send(java.nio.channels.SocketChannel ch, String json) throws java.io.IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap((json + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        while (b.hasRemaining()) ch.write(b);
    }

    /** The next line that is a command's answer (QMP may send events in between). */
    private static String reply(java.io.BufferedReader in) throws java.io.IOException {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.contains("\"return\"") || line.contains("\"error\"")) return line;
        }
        throw new java.io.EOFException("QMP closed the connection");
    }

    private static void assertNothingLeft(String id) throws java.io.IOException {
        Path dir = ROOT.resolve("sandboxes").resolve(id);
        assertFalse(Files.exists(dir), "no sandbox directory (sockets, console, shared dir)");
        assertEquals(List.of(), Distribution.processesMentioning(dir.toString()), "no QEMU or other process");
        assertEquals(List.of(), namespacesOf(id), "the network namespace vcj made is gone");
    }

    /** The network namespaces vcj made for sandbox {@code id}: {@code vcj-<id>-<hash of its run directory>}. */
    private static List<String> namespacesOf(String id) throws java.io.IOException {
        Path dir = Path.of("/var/run/netns");
        if (!Files.isDirectory(dir)) return List.of();
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("vcj-" + java.util.regex.Pattern.quote(id) + "-[0-9a-f]{8}")).toList();
        }
    }
}
