package org.vcj.shell.internal;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The user's terminal while a container process with a terminal runs: put in raw mode with
 * {@code stty} on {@code /dev/tty} (keys, Ctrl-C included, go to the container's terminal), its size
 * forwarded at start and on every SIGWINCH, and the saved mode restored on {@link #close()} and, should the
 * JVM be shut down meanwhile, by a shutdown hook. Thread-safe.
 */
final class SttyTerminal implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SttyTerminal.class.getName());
    private static final File TTY = new File("/dev/tty");
    private static final long STTY_TIMEOUT_MS = 5_000;

    private final String saved;
    private final ShutdownHooks.Registration restoreHook;
    private final ExecutorService resizer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "vcj-winch");
        t.setDaemon(true);
        return t;
    });
    private Object previousWinch;
    private boolean closed;

    private SttyTerminal(String saved, ShutdownHooks hooks) {
        this.saved = saved;
        this.restoreHook = hooks.register("vcj-restore-terminal", this::restore);
    }

    /**
     * Enters raw mode for the command line ({@code io.stdinBlocking()}) when the JVM's stdin and stdout are a
     * terminal; otherwise null: the process still has a terminal in the container and the local streams are
     * relayed as they are (inside {@code vcj shell}, JLine owns the terminal).
     */
    static SttyTerminal enter(Io io, ShutdownHooks hooks) {
        if (!io.stdinBlocking() || System.console() == null || !TTY.canRead()) return null;
        String saved;
        try {
            saved = stty("-g").trim();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "no raw mode: " + e.getMessage());
            return null;
        }
        SttyTerminal t = new SttyTerminal(saved, hooks);
        try {
            stty("raw", "-echo");
            return t;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "no raw mode: " + e.getMessage());
            t.close();
            return null;
        }
    }

    /** Calls {@code resize(rows, columns)} now and after every window change until closed. */
    synchronized void forwardSize(BiConsumer<Integer, Integer> resize) {
        Runnable send = () -> {
            try {
                String[] rc = stty("size").trim().split("\\s+");
                int rows = Integer.parseInt(rc[0]);
                int cols = Integer.parseInt(rc[1]);
                if (rows > 0 && cols > 0) resize.accept(rows, cols);
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "window size not forwarded: " + e);
            }
        };
        send.run();
        try {
            previousWinch = sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), sig -> {
                if (!resizer.isShutdown()) resizer.execute(send);
            });
        } catch (IllegalArgumentException | LinkageError e) {
            LOG.log(System.Logger.Level.DEBUG, "SIGWINCH not available, window changes are not forwarded: " + e);
        }
    }

    /** Stops forwarding window changes and restores the terminal's mode. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        if (previousWinch instanceof sun.misc.SignalHandler h) sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), h);
        resizer.shutdownNow();
        restore();
        restoreHook.close();
    }

    private void restore() {
        try {
            stty(saved);
        } catch (IOException e) {
            System.err.println("vcj: could not restore the terminal (" + e.getMessage() + "); type 'stty sane' to repair it");
        }
    }

    /** Runs {@code stty ARGS} on /dev/tty; returns its output. */
    private static String stty(String... args) throws IOException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "stty";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectInput(TTY).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(STTY_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException("stty " + String.join(" ", args) + " did not finish within " + STTY_TIMEOUT_MS + " ms");
            }
            if (p.exitValue() != 0) throw new IOException("stty " + String.join(" ", args) + " exited " + p.exitValue());
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while running stty", e);
        }
    }
}
