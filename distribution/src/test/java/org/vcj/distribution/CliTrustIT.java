package org.vcj.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a CLI user sees when something goes wrong, with the real bin/vcj on the mock hypervisor (real agent, real
 * runc): one line on stderr and the status a shell would give, never a stack trace; details go to the root's log.
 */
class CliTrustIT {

    @TempDir Path tmp;
    private Path root;
    private Cli cli;

    private Cli cli() {
        if (cli == null) {
            root = tmp.resolve("root");
            cli = new Cli(root, "fs");
        }
        return cli;
    }

    @AfterEach
    void removeLeftovers() throws Exception {
        if (root != null) Distribution.stopProcessesMentioning(root.toString());
    }

    private static List<String> lines(String s) {
        return s.isEmpty() ? List.of() : List.of(s.split("\n"));
    }

    @Test
    void aMissingOrNonExecutableCommandExitsWith127Or126AndOneLine() throws Exception {
        Cli.Result missing = cli().run("run", "--hypervisor=mock", "--", "nosuchcmd", "arg");
        assertEquals(127, missing.code(), missing.err());
        assertEquals("", missing.out());
        assertEquals(1, lines(missing.err()).size(), missing.err());
        assertTrue(missing.err().matches("vcj: command 'nosuchcmd' not found in container vcj-\\w+: no such executable in PATH "
                + "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin; check the command's name, or give its full path in the container\n"),
                missing.err());
        Cli.Result notExec = cli().run("run", "--hypervisor=mock", "--", "/etc/passwd");
        assertEquals(126, notExec.code(), notExec.err());
        assertEquals(1, lines(notExec.err()).size(), notExec.err());
        assertTrue(notExec.err().contains("command '/etc/passwd' in container vcj-"), notExec.err());
        assertTrue(notExec.err().contains(" cannot be executed: it has no execute permission; "), notExec.err());
        assertEquals(List.of("ID  STATE  HYPERVISOR  CONTAINERS  CREATED"), lines(cli().run("list").out()), "no sandbox left behind");

        assertEquals(0, cli().run("run", "--detach", "--hypervisor=mock", "--id=t-exec", "--", "sleep", "600").code());
        Cli.Result execMissing = cli().run("exec", "t-exec", "--", "nosuchcmd");
        assertEquals(127, execMissing.code(), execMissing.err());
        assertTrue(execMissing.err().startsWith("vcj: command 'nosuchcmd' not found in container t-exec: "), execMissing.err());
        Cli.Result execDir = cli().run("exec", "t-exec", "--", "/bin");
        assertEquals(126, execDir.code(), execDir.err());
        assertTrue(execDir.err().startsWith("vcj: command '/bin' in container t-exec cannot be executed: it is a directory; "), execDir.err());
        assertEquals(1, lines(execDir.err()).size(), execDir.err());
        assertEquals(0, cli().run("delete", "--force", "t-exec").code());
    }

    @Test
    void psShowsThePsEfColumnsOfTheContainersProcesses() throws Exception {
        assertEquals(0, cli().run("run", "--detach", "--hypervisor=mock", "--id=t-ps", "--", "sleep", "600").code());
        Cli.Result ps = cli().run("ps", "t-ps");
        assertEquals(0, ps.code(), ps.err());
        List<String> rows = lines(ps.out());
        assertEquals("UID        PID  PPID  C STIME TTY          TIME CMD", rows.get(0));
        assertEquals(2, rows.size(), ps.out());
        assertTrue(rows.get(1).matches("root +\\d+ +\\d+ +\\d+ \\d\\d:\\d\\d \\? +\\d\\d:\\d\\d:\\d\\d sleep 600"), rows.get(1));
        Cli.Result pids = cli().run("ps", "t-ps", "--", "-o", "pid,args");
        assertEquals(0, pids.code(), pids.err());
        assertEquals("PID COMMAND", lines(pids.out()).get(0).trim());
        assertTrue(lines(pids.out()).get(1).trim().endsWith(" sleep 600"), pids.out());
        Cli.Result json = cli().run("ps", "--format=json", "t-ps");
        assertEquals(0, json.code(), json.err());
        assertTrue(json.out().replaceAll("\\s", "").matches("\\[\\d+]"), json.out());
        assertEquals(0, cli().run("delete", "--force", "t-ps").code());
    }

    @Test
    void inputArrivingWhileExecEndsPrintsNothing() throws Exception {
        assertEquals(0, cli().run("run", "--detach", "--hypervisor=mock", "--id=t-in", "--", "sleep", "600").code());
        for (int round = 0; round < 2; round++) {
            Process p = start("exec", "t-in", "--", "true");
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            // a keyboard or a pipe that keeps sending until vcj is gone: some input comes after `true` ended
            try (OutputStream stdin = p.getOutputStream()) {
                while (!p.waitFor(50, TimeUnit.MILLISECONDS)) {
                    stdin.write("more input\n".getBytes(StandardCharsets.UTF_8));
                    stdin.flush();
                }
            } catch (java.io.IOException pipeClosedByExit) {
                assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            }
            assertEquals("", new String(err.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8));
            assertEquals("", new String(out.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8));
            assertEquals(0, p.exitValue());
        }
        assertEquals(0, cli().run("delete", "--force", "t-in").code());
    }

    @Test
    void aStdoutClosedByItsReaderEndsTheContainerAndExits141Silently() throws Exception {
        Process p = start("run", "--hypervisor=mock", "--id=t-seq", "--", "seq", "1", "100000000");
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        p.getOutputStream().close();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("1", r.readLine(), "like `| head -1`");
        }
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "vcj ends once nobody reads its output");
        assertEquals("", new String(err.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8));
        assertEquals(141, p.exitValue(), "128 + SIGPIPE, as a shell reports a writer whose pipe closed");
        assertEquals(List.of("ID  STATE  HYPERVISOR  CONTAINERS  CREATED"), lines(cli().run("list").out()), "the sandbox is removed");
        assertTrue(Files.isRegularFile(root.resolve("log/vcj.log")), "the root has its log file");
    }

    private Process start(String... verb) throws java.io.IOException {
        cli();
        List<String> cmd = new ArrayList<>(List.of(Distribution.home().resolve("bin/vcj").toString(), "--root=" + root, "--storage=fs"));
        cmd.addAll(List.of(verb));
        return new ProcessBuilder(cmd).start();
    }

    private static byte[] readAll(java.io.InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
