package org.vcj.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The terminal paths in a real terminal (tmux): {@code vcj run -t -- sh} and {@code vcj exec -t} on the mock
 * hypervisor (runc on the host), and the interactive {@code vcj shell} (line editing, completion, history).
 * The QEMU run is {@link QemuTerminalIT}.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class TerminalIT {
    static final Path ROOT = Path.of(System.getProperty("java.io.tmpdir"), "vcj-tty-" + ProcessHandle.current().pid());
    private final Cli cli = new Cli(ROOT, "fs");

    /** The pane runs vcj, then prints its exit status and stays open so the screen can be read. */
    static String vcj(String args) {
        return Distribution.home().resolve("bin/vcj") + " --root=" + ROOT + " " + args + "; echo EXIT=$?; sleep 120";
    }

    @AfterAll
    static void cleanUp() throws Exception {
        Cli cli = new Cli(ROOT, "fs");
        for (String line : cli.run("list").out().lines().skip(1).toList()) {
            cli.run("delete", "--force", line.split("\\s+")[0]);
        }
        Distribution.stopProcessesMentioning(ROOT.toString());
        Distribution.deleteTree(ROOT);
    }

    @Test
    void runWithTerminalTypesResizesAndRestoresTheLocalTerminal() throws Exception {
        try (TmuxSession t = new TmuxSession(vcj("run -t --hypervisor=mock --id=tty-run -- sh"), 100, 30)) {
            driveShell(t, 60);
            assertNothingLeft("tty-run");
        }
    }

    /** Types into the container's shell, reads the screen, resizes the window, exits with 5. */
    static void driveShell(TmuxSession t, int bootSeconds) throws Exception {
        t.awaitText("/ #", bootSeconds);   // tmux trims trailing blanks: the prompt "/ # " reads "/ #"
        t.type("echo hello-$((6*7)); tty; stty size");
        t.keys("Enter");
        String s = t.awaitText("30 100", 20);
        assertTrue(s.contains("hello-42"), "the typed command ran: " + s);
        assertTrue(s.contains("/dev/pts/"), "the shell's stdin is a terminal: " + s);
        assertEquals(1, count(s, "echo hello-"), "typed text is echoed once, by the container's terminal, not also locally: " + s);
        t.resize(120, 40);
        Thread.sleep(500);
        t.type("stty size");
        t.keys("Enter");
        t.awaitText("40 120", 20);
        t.type("exit 5");
        t.keys("Enter");
        t.awaitText("EXIT=5", 60);
        String mode = sttyOf(t.paneTty());
        assertTrue(mode.contains(" icanon") && mode.contains(" echo "), "the local terminal is back in cooked mode: " + mode);
    }

    @Test
    void execWithTerminalIntoARunningSandbox() throws Exception {
        assertEquals(0, cli.run("run", "--detach", "--hypervisor=mock", "--id=tty-exec", "--", "sleep", "600").code());
        try (TmuxSession t = new TmuxSession(vcj("exec -t tty-exec -- sh"), 90, 25)) {
            t.awaitText("/ #", 30);
            t.type("tty; stty size; exit 7");
            t.keys("Enter");
            String s = t.awaitText("EXIT=7", 30);
            assertTrue(s.contains("/dev/pts/") && s.contains("25 90"), s);
        } finally {
            cli.run("delete", "--force", "tty-exec");
        }
        assertNothingLeft("tty-exec");
    }

    @Test
    void interactiveShellCompletesAndRemembers() throws Exception {
        try (TmuxSession t = new TmuxSession(vcj("shell"), 120, 30)) {
            String start = t.awaitText("vcj>", 60);
            assertTrue(!start.contains("dumb terminal"), "JLine found a real terminal: " + start);
            t.type("vc:li");
            t.keys("Tab");
            t.awaitText("vcj> vc:list", 10);
            t.keys("Enter");
            t.awaitText("ID  STATE", 30);
            t.type("vc:run --tt");
            t.keys("Tab");
            t.awaitText("vcj> vc:run --tty", 10);
            t.keys("C-u");
            t.type("vc:run -");
            t.keys("Tab");
            String options = t.awaitText("allocate a terminal for CMD", 10);
            assertTrue(options.contains("--hypervisor") && options.contains("--detach"), "run's options are listed: " + options);
            t.keys("C-u");
            t.await("an empty prompt", s -> s.stripTrailing().endsWith("vcj>"), 10);
            t.keys("Up");
            t.await("the last command recalled", s -> s.stripTrailing().endsWith("vcj> vc:list"), 10);
            t.keys("C-u", "C-d");
            t.awaitText("EXIT=0", 30);
        }
    }

    static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) n++;
        return n;
    }

    static String sttyOf(String tty) throws Exception {
        Process p = new ProcessBuilder("stty", "-a", "-F", tty).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        return out;
    }

    void assertNothingLeft(String id) throws Exception {
        assertTrue(!cli.run("list").out().contains(id), "sandbox " + id + " is gone");
        assertEquals(List.of(), Distribution.processesMentioning(ROOT.resolve("sandboxes").resolve(id).toString()),
                "no process of sandbox " + id);
    }
}
