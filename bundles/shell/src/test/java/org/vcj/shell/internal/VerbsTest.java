package org.vcj.shell.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vcj.api.*;

@Timeout(30)
class VerbsTest {
    final FakeVc vc = new FakeVc();
    final Map<String, String> props = new java.util.HashMap<>(Map.of("vcj.rootfs", "/opt/rootfs"));
    final List<String> hooks = new ArrayList<>();
    final List<Boolean> hookClosed = new ArrayList<>();
    final ShutdownHooks recordingHooks = (name, action) -> {
        hooks.add(name);
        int i = hookClosed.size();
        hookClosed.add(false);
        return () -> hookClosed.set(i, true);
    };
    final VerbDispatcher cli = new VerbDispatcher(vc, props::get, recordingHooks);
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int main(InputStream in, String... args) {
        return cli.main(args, new Io(in, new PrintStream(out, true), new PrintStream(err, true), true));
    }

    int main(String... args) { return main(new ByteArrayInputStream(new byte[0]), args); }

    String out() { return out.toString(StandardCharsets.UTF_8); }

    String err() { return err.toString(StandardCharsets.UTF_8); }

    @Test
    void theVerbComesFirstAndAnOptionBeforeItIsRejected() {
        // the launcher parsed --root and --storage already (GlobalOptions): what reaches the CLI starts with the verb
        assertEquals(0, main("list"));
        assertEquals("ID  STATE  HYPERVISOR  CONTAINERS  CREATED\n", out());
        assertEquals(2, main("--bogus", "list"));
        assertTrue(err().startsWith("vcj: unknown global option '--bogus'\nusage: vcj [--root=DIR]"), err());
    }

    @Test
    void missingOrUnknownVerbIsAUsageError() {
        assertEquals(2, main());
        assertTrue(err().startsWith("vcj: missing VERB\nusage:"), err());
        err.reset();
        assertEquals(2, main("frobnicate"));
        assertTrue(err().startsWith("vcj: unknown verb 'frobnicate'\n"), err());
        assertTrue(err().contains("\n  run      run a command in a new sandbox\n"), err());
    }

    @Test
    void listPrintsAlignedColumnsSortedById() {
        vc.addSandbox("web-2", SandboxState.PAUSED, "qemu", Instant.parse("2026-11-23T00:30:01.5Z"),
                FakeVc.container("web-2", ContainerState.PAUSED, 7, null));
        vc.addSandbox("a", SandboxState.RUNNING, "mock", null, FakeVc.container("a", ContainerState.RUNNING, 1, null),
                FakeVc.container("side", ContainerState.RUNNING, 2, null));
        assertEquals(0, main("list"));
        assertEquals("ID     STATE    HYPERVISOR  CONTAINERS  CREATED\n"
                + "a      running  mock        2           2026-01-02T03:04:05Z\n"
                + "web-2  paused   qemu        1           2026-11-23T00:30:01Z\n", out());
        assertEquals("", err());
    }

    @Test
    void statusPrintsSandboxAndContainers() {
        vc.addSandbox("sb1", SandboxState.STOPPED, "mock", Instant.parse("2026-11-23T00:30:00Z"),
                FakeVc.container("sb1", ContainerState.STOPPED, 0, 3), FakeVc.container("helper", ContainerState.RUNNING, 42, null));
        assertEquals(0, main("status", "sb1"));
        assertEquals("SANDBOX     sb1\n"
                + "STATE       stopped\n"
                + "HYPERVISOR  mock\n"
                + "PIDS        4242\n"
                + "CREATED     2026-11-23T00:30:00Z\n"
                + "\n"
                + "CONTAINER  STATE    PID  EXIT  STARTED\n"
                + "sb1        stopped  -    3     2026-01-02T03:04:05Z\n"
                + "helper     running  42   -     2026-01-02T03:04:05Z\n", out());
    }

    @Test
    void statusSaysWhenAnExitIsUnknownAndWhetherTheVmIsPaused() {
        vc.addSandbox("sb1", SandboxState.PAUSED, "mock", null, FakeVc.container("sb1", ContainerState.PAUSED, 7, null),
                FakeVc.container("lost", ContainerState.STOPPED, 0, null));
        assertEquals(0, main("status", "sb1"));
        assertTrue(out().contains("STATE       paused (containers frozen; the hypervisor cannot pause the VM)\n"), out());
        assertTrue(out().contains("lost       stopped  -    unknown  "), out());
        assertTrue(out().contains("sb1        paused   7    -        "), out());

        SandboxStatus s = vc.sandboxes.get("sb1");
        vc.sandboxes.put("sb1", new SandboxStatus("sb1", SandboxState.PAUSED, s.hypervisor(), s.hypervisorConfig(), s.agent(),
                s.containersStatus(), s.annotations(), s.hypervisorPids(), true));
        assertEquals(0, main("status", "sb1"));
        assertTrue(out().contains("STATE       paused (VM paused)\n"), out());
    }

    @Test
    void vcExceptionExitsOneWithItsMessage() {
        assertEquals(1, main("status", "nope"));
        assertEquals("", out());
        assertEquals("vcj: sandbox 'nope' not found: list sandboxes with: vcj list\n", err());
    }

    @Test
    void unexpectedExceptionIsAnInternalError() {
        vc.failWith = new IllegalStateException("boom");
        assertEquals(1, main("list"));
        assertEquals("vcj: internal error: java.lang.IllegalStateException: boom\n", err());
    }

    @Test
    void usageErrorPrintsTheVerbsUsage() {
        assertEquals(2, main("status"));
        assertEquals("vcj status: missing ID\n" + StatusVerb.USAGE + "\n", err());
        err.reset();
        assertEquals(2, main("run", "--hypervisor=mock"));
        assertTrue(err().startsWith("vcj run: missing CMD\nvcj run [OPTIONS] [--] CMD [ARGS...]\n"), err());
        err.reset();
        assertEquals(2, main("run", "--memory=lots", "--", "true"));
        assertTrue(err().startsWith("vcj run: option --memory needs a non-negative integer, got 'lots'\n"), err());
        assertTrue(vc.calls.isEmpty(), vc.calls.toString());
    }

    @Test
    void runRelaysBytesExactlyAndReturnsTheExitCodeThenDeletes() {
        byte[] binary = {0, 1, (byte) 0xff, '\n', (byte) 0xc3, '\r'};
        vc.stdoutPrefix = binary;
        vc.stderrBytes = "warning: x\n".getBytes();
        vc.exitCode = 7;
        byte[] input = "line one\nline two without newline".getBytes();
        assertEquals(7, main(new ByteArrayInputStream(input), "run", "--id=sb1", "--env=A=b", "--workdir=/tmp", "--", "cat"));
        byte[] expected = new byte[binary.length + input.length];
        System.arraycopy(binary, 0, expected, 0, binary.length);
        System.arraycopy(input, 0, expected, binary.length, input.length);
        assertArrayEquals(expected, out.toByteArray());
        assertEquals("warning: x\n", err());
        assertEquals(List.of("statusSandbox sb1", "runSandbox sb1", "ioStream sb1 sb1", "waitProcess sb1 sb1", "stopSandbox sb1 force=false",
                "deleteSandbox sb1"), vc.calls);
        assertTrue(vc.sandboxes.isEmpty());
        assertEquals(List.of("vcj-run-cleanup-sb1"), hooks);
        assertEquals(List.of(true), hookClosed);

        SandboxConfig c = vc.configs.get("sb1");
        assertEquals("qemu", c.hypervisorType().name(), "QEMU unless a hypervisor is named");
        ContainerConfig cc = c.containers().get(0);
        assertEquals("sb1", cc.id());
        assertEquals("/opt/rootfs", cc.rootFs());
        assertEquals(List.of("cat"), cc.cmd().args());
        assertEquals("/tmp", cc.cmd().workDir());
        assertTrue(cc.cmd().envs().contains(new EnvVar("A", "b")));
        assertEquals("PATH", cc.cmd().envs().get(0).var());
        assertFalse(cc.cmd().terminal());
        assertTrue(cc.cmd().interactive());
        assertNotNull(c.annotations().get(RunVerb.CREATED_ANNOTATION));
    }

    @Test
    void runUsesPropertiesAndOptionsForTheConfig() {
        props.put("vcj.hypervisor", "acme");
        assertEquals(0, main("run", "--id=x1", "--cpus=2", "--memory=256", "--rootfs=/r", "-d", "sh", "-c", "true"));
        SandboxConfig c = vc.configs.get("x1");
        assertEquals("acme", c.hypervisorType().name());
        assertEquals(new Resources(2, 256), c.vmConfig());
        assertEquals("/r", c.containers().get(0).rootFs());
        assertEquals(List.of("sh", "-c", "true"), c.containers().get(0).cmd().args());
        assertTrue(c.containers().get(0).cmd().detach());
    }

    @Test
    void runDetachPrintsTheIdAndLeavesTheSandbox() {
        assertEquals(0, main("run", "--detach", "--", "sleep", "100"));
        String id = out().trim();
        assertTrue(id.matches("vcj-[0-9a-f]{12}"), id);
        assertEquals(id + "\n", out());
        assertEquals(List.of("runSandbox " + id), vc.calls);
        assertEquals(SandboxState.RUNNING, vc.sandboxes.get(id).state());
        assertTrue(hooks.isEmpty());
    }

    @Test
    void runPassesTheFactoryNameThroughUnchanged() {
        assertEquals(0, main("run", "--detach", "--id=f1", "--factory=acme-pool", "--", "true"));
        assertEquals(List.of("createSandbox f1 factory=acme-pool", "start f1"), vc.calls);
    }

    @Test
    void runWithATakenIdNeverDeletesTheOtherSandbox() {
        vc.addSandbox("taken", SandboxState.RUNNING, "mock", null);
        assertEquals(1, main("run", "--id=taken", "--", "true"));
        assertTrue(err().startsWith("vcj: "), err());
        assertTrue(vc.sandboxes.containsKey("taken"));
        assertFalse(vc.calls.stream().anyMatch(s -> s.startsWith("stop") || s.startsWith("delete")), vc.calls.toString());
    }

    @Test
    void runWithoutRootfsIsAUsageError() {
        props.remove("vcj.rootfs");
        assertEquals(2, main("run", "--", "true"));
        assertTrue(err().startsWith("vcj run: no container rootfs"), err());
    }

    @Test
    void execRelaysAndReturnsTheExitCode() {
        vc.addSandbox("sb1", SandboxState.RUNNING, "mock", null, FakeVc.container("sb1", ContainerState.RUNNING, 1, null));
        vc.stdoutPrefix = "hello\n".getBytes();
        vc.exitCode = 3;
        assertEquals(3, main(new ByteArrayInputStream("in".getBytes()), "exec", "sb1", "-e", "X=1", "--", "sh", "-c", "cat"));
        assertEquals("hello\nin", out());
        assertEquals("enterContainer sb1 sb1 [sh, -c, cat] env=[EnvVar[var=PATH, value=" + Containers.DEFAULT_PATH
                + "], EnvVar[var=X, value=1]] tty=false", vc.calls.get(1));
        assertEquals(List.of("vcj-exec-kill-exec-1"), hooks);
        assertEquals(List.of(true), hookClosed);
    }

    @Test
    void psPrintsTheListing() {
        vc.addSandbox("sb1", SandboxState.RUNNING, "mock", null, FakeVc.container("sb1", ContainerState.RUNNING, 1, null));
        assertEquals(0, main("ps", "sb1", "--", "-o", "pid"));
        assertEquals("UID PID CMD\n", out());
        assertEquals("processListContainer sb1 sb1 table [-o, pid]", vc.calls.get(vc.calls.size() - 1));
    }

    @Test
    void killParsesSignals() {
        vc.addSandbox("sb1", SandboxState.RUNNING, "mock", null, FakeVc.container("sb1", ContainerState.RUNNING, 1, null));
        assertEquals(0, main("kill", "sb1"));
        assertEquals(0, main("kill", "sb1", "SIGKILL", "--all"));
        assertEquals(List.of("killContainer sb1 sb1 15 all=false", "killContainer sb1 sb1 9 all=true"),
                vc.calls.stream().filter(c -> c.startsWith("kill")).toList());
        assertEquals(2, main("kill", "sb1", "NOPE"));
        assertTrue(err().startsWith("vcj kill: unknown signal 'NOPE'"), err());
    }

    @Test
    void severalContainersNeedAChoice() {
        vc.addSandbox("sb1", SandboxState.RUNNING, "mock", null, FakeVc.container("c1", ContainerState.RUNNING, 1, null),
                FakeVc.container("c2", ContainerState.RUNNING, 2, null));
        assertEquals(2, main("kill", "sb1", "9"));
        assertTrue(err().startsWith("vcj kill: sandbox 'sb1' has 2 containers: choose one with --container=ID"), err());
        assertEquals(0, main("kill", "sb1", "9", "--container=c2"));
        assertEquals("killContainer sb1 c2 9 all=false", vc.calls.get(vc.calls.size() - 1));
    }

    @Test
    void lifecycleVerbs() {
        vc.addSandbox("sb1", SandboxState.RUNNING, "mock", null, FakeVc.container("sb1", ContainerState.RUNNING, 1, null));
        assertEquals(0, main("pause", "sb1"));
        assertEquals(SandboxState.PAUSED, vc.sandboxes.get("sb1").state());
        assertEquals(0, main("resume", "sb1"));
        assertEquals(1, main("delete", "sb1"));
        assertEquals("vcj: cannot delete sandbox 'sb1' in state running (allowed in: ready, stopped; stop it first or use "
                + "delete --force)\n", err());
        assertEquals(0, main("stop", "sb1", "-f"));
        assertEquals(0, main("delete", "sb1"));
        assertTrue(vc.sandboxes.isEmpty());
        assertTrue(vc.calls.contains("stopSandbox sb1 force=true"));
        assertEquals("", out());
    }

    @Test
    void deleteForceStopsFirst() {
        vc.addSandbox("sb1", SandboxState.PAUSED, "mock", null);
        assertEquals(0, main("delete", "--force", "sb1"));
        assertEquals(List.of("statusSandbox sb1", "stopSandbox sb1 force=true", "deleteSandbox sb1"), vc.calls);
    }

    @Test
    void cleanupPrintsRemovedIds() {
        assertEquals(0, main("cleanup"));
        assertEquals("stale-1\nstale-2\n", out());
    }

    @Test
    void statsPrintsReadableFigures() {
        vc.addSandbox("sb1", SandboxState.RUNNING, "mock", null, FakeVc.container("sb1", ContainerState.RUNNING, 1, null),
                FakeVc.container("done", ContainerState.STOPPED, 0, 0));
        vc.stats.put("sb1", new ContainerStats(new CgroupStats(
                new CpuStats(new CpuUsage(1_500_000_000L, List.of(), 500_000_000L, 1_000_000_000L), null),
                new MemoryStats(0, new MemoryData(12L << 20, 20L << 20, 0, Long.MAX_VALUE), null, null, false, null),
                new PidsStats(3, 100), null), null));
        assertEquals(0, main("stats", "sb1"));
        assertEquals("sandbox sb1: 2 vCPUs, VM memory on the host (PSS) 150.0 MiB\n"
                + "CONTAINER       CPU     USER    KERNEL  MEMORY    PEAK      PIDS\n"
                + "sb1             1.500s  1.000s  0.500s  12.0 MiB  20.0 MiB  3 / 100\n"
                + "done (stopped)  -       -       -       -         -         -\n", out());
    }

    @Test
    void helpPrintsOverviewOrUsage() {
        assertEquals(0, main("help"));
        assertTrue(out().startsWith("usage: vcj [--root=DIR] [--storage=TYPE] VERB [ARGS...]\n"), out());
        for (String v : List.of("run", "list", "status", "exec", "ps", "kill", "pause", "resume", "stats", "update", "device", "stop", "delete",
                "cleanup", "help")) {
            assertTrue(out().contains("\n  " + v + " "), v);
        }
        out.reset();
        assertEquals(0, main("help", "delete"));
        assertEquals(DeleteVerb.USAGE + "\n", out());
        out.reset();
        assertEquals(0, main("exec", "--help"));
        assertEquals(ExecVerb.USAGE + "\n", out());
        assertEquals(2, main("help", "nope"));
    }

    @Test
    void cliMainServiceContract() {
        CliMain main = new CliMain(cli);
        Object r = main.apply(new Object[] {new String[] {"list"}, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true), new PrintStream(err, true)});
        assertEquals(Integer.valueOf(0), r);
        assertThrows(IllegalArgumentException.class, () -> main.apply(new Object[] {"list"}));
    }

    @Test
    void gogoFailureThrowsWithTheStatus() {
        GogoCommands gogo = new GogoCommands(cli);
        PrintStream saved = System.err;
        System.setErr(new PrintStream(err, true));
        try {
            CommandFailedException e = assertThrows(CommandFailedException.class, () -> gogo.status());
            assertEquals(2, e.status());
            assertEquals("vc:status: exit status 2", e.toString());
            assertTrue(err().startsWith("vcj status: missing ID\n"), err());
            vc.addSandbox("sb1", SandboxState.READY, "mock", null);
            assertDoesNotThrow(() -> gogo.pause("sb1"));
            assertEquals(1, assertThrows(CommandFailedException.class, () -> gogo.resume("nope")).status());
        } finally {
            System.setErr(saved);
        }
    }

    @Test
    void aCommandThatCannotRunExitsWith127Or126AndOneLine() {
        vc.addSandbox("sb1", SandboxState.RUNNING, "mock", null);
        vc.failWith = new CommandNotRunnableException("sb1", CommandNotRunnableException.Reason.NOT_FOUND,
                "command 'nosuchcmd' not found in container sb1: no such executable in PATH /bin", null);
        assertEquals(127, main("exec", "sb1", "--", "nosuchcmd"));
        assertEquals("vcj: command 'nosuchcmd' not found in container sb1: no such executable in PATH /bin; "
                + "check the command's name, or give its full path in the container\n", err());
        err.reset();
        vc.failWith = new CommandNotRunnableException("sb1", CommandNotRunnableException.Reason.NOT_EXECUTABLE,
                "command '/etc' in container sb1 cannot be executed: it is a directory", null);
        assertEquals(126, main("exec", "sb1", "--", "/etc"));
        assertTrue(err().startsWith("vcj: command '/etc' in container sb1 cannot be executed: it is a directory; "), err());
        assertEquals(1, err().split("\n").length, err());
    }

    @Test
    void anInternalErrorIsOneLineNamingTheLogFile() {
        props.put("vcj.log.file", "/run/vcj/log/vcj.log");
        vc.failWith = new IllegalStateException("bug\nwith two lines");
        assertEquals(1, main("list"));
        assertEquals("vcj: internal error: java.lang.IllegalStateException: bug with two lines; details in /run/vcj/log/vcj.log\n", err());
    }

    @Test
    void relayWaitsAreBounded() throws Exception {
        java.io.PipedInputStream never = new java.io.PipedInputStream();
        java.io.PipedOutputStream keepOpen = new java.io.PipedOutputStream(never);
        StdioRelay r = StdioRelay.start(new IOStream(null, never, new ByteArrayInputStream(new byte[0])),
                new Io(new ByteArrayInputStream(new byte[0]), new PrintStream(out), new PrintStream(err), true), "t", false);
        long t0 = System.nanoTime();
        assertFalse(r.awaitOutput(Duration.ofMillis(200)));
        assertTrue(System.nanoTime() - t0 < 2_000_000_000L);
        keepOpen.close();
        assertTrue(r.awaitOutput(Duration.ofSeconds(5)));
        r.close();
    }

    @Test
    void shutdownHookRemovesTheSandboxOfAForegroundRunOnce() throws Exception {
        java.util.concurrent.atomic.AtomicReference<Runnable> hook = new java.util.concurrent.atomic.AtomicReference<>();
        VerbDispatcher d = new VerbDispatcher(vc, props::get, (name, action) -> {
            hook.set(action);
            return () -> { };
        });
        java.io.PipedInputStream stdin = new java.io.PipedInputStream();
        java.io.PipedOutputStream typing = new java.io.PipedOutputStream(stdin);
        java.util.concurrent.CompletableFuture<Integer> run = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> d.main(new String[] {"run", "--id=c1", "--", "cat"}, new Io(stdin, new PrintStream(out, true), new PrintStream(err, true), true)));
        long end = System.currentTimeMillis() + 5000;
        while (!vc.calls.contains("waitProcess c1 c1") && System.currentTimeMillis() < end) Thread.sleep(10);
        hook.get().run(); // Ctrl-C
        assertTrue(vc.calls.contains("deleteSandbox c1"), vc.calls.toString());
        assertFalse(vc.sandboxes.containsKey("c1"));
        typing.close();
        assertEquals(0, run.get(10, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(1, vc.calls.stream().filter(c -> c.equals("deleteSandbox c1")).count());
    }
}
