package org.vcj.distribution;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A detached tmux session on a private server (its own socket), to drive a program in a real terminal as a
 * user would: type, read the screen, resize the window. Every wait is bounded.
 */
final class TmuxSession implements AutoCloseable {
    private final String server = "vcj-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    private final String name = "t";

    /** Starts {@code shellCommand} (run by sh) in a window of {@code cols}x{@code rows}. */
    TmuxSession(String shellCommand, int cols, int rows) throws IOException, InterruptedException {
        tmux("new-session", "-d", "-s", name, "-x", Integer.toString(cols), "-y", Integer.toString(rows), shellCommand);
    }

    /** Types literal text (no key names). */
    void type(String text) throws IOException, InterruptedException {
        tmux("send-keys", "-t", name, "-l", text);
    }

    /** Presses keys by tmux name: Enter, Tab, Up, C-u, C-d ... */
    void keys(String... keys) throws IOException, InterruptedException {
        List<String> a = new ArrayList<>(List.of("send-keys", "-t", name));
        a.addAll(List.of(keys));
        tmux(a.toArray(String[]::new));
    }

    /** The visible screen, one line per row. */
    String screen() throws IOException, InterruptedException {
        return tmux("capture-pane", "-p", "-t", name);
    }

    /** The pane's terminal device on the host, e.g. /dev/pts/7. */
    String paneTty() throws IOException, InterruptedException {
        return tmux("display-message", "-p", "-t", name, "#{pane_tty}").trim();
    }

    void resize(int cols, int rows) throws IOException, InterruptedException {
        tmux("resize-window", "-t", name, "-x", Integer.toString(cols), "-y", Integer.toString(rows));
    }

    /** Waits until the screen satisfies {@code test}; fails with the last screen after {@code seconds}. */
    String await(String what, Predicate<String> test, int seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        String s = screen();
        while (!test.test(s)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " on the terminal within " + seconds + " s; screen:\n" + s);
            }
            Thread.sleep(200);
            s = screen();
        }
        return s;
    }

    /** Waits until the screen contains {@code text}. */
    String awaitText(String text, int seconds) throws IOException, InterruptedException {
        return await("'" + text + "'", s -> s.contains(text), seconds);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        tmux("kill-server");
    }

    private String tmux(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", server));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("TERM", "xterm-256color");
        pb.environment().remove("TMUX");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException("cannot run tmux (scripts/setup.sh installs it): " + e.getMessage(), e);
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("tmux " + String.join(" ", args) + " did not finish within 10 s");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0 && !args[0].equals("kill-server")) {
            throw new IOException("tmux " + String.join(" ", args) + " exited " + p.exitValue() + ": " + text);
        }
        return text;
    }
}
