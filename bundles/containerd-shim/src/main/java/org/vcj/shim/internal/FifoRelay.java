package org.vcj.shim.internal;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.time.Duration;

import org.vcj.api.IOStream;

/**
 * Relays a process's stdio between the FIFOs containerd made for it and the agent's streams: one thread per stream.
 * Output FIFOs are opened read-write, so that opening never blocks and writing never fails when the client that
 * read them went away (a detached {@code ctr run -d}); stdin is opened read-only and its end (or CloseIO) closes
 * the process's stdin. An empty path means no such stream: stdin is closed at once, output is read and dropped.
 */
final class FifoRelay {
    private static final System.Logger LOG = System.getLogger(FifoRelay.class.getName());
    /** How long CloseIO lets the stdin relay pass on what the client wrote before it closed the FIFO. */
    static final Duration STDIN_DRAIN = Duration.ofSeconds(5);

    private final IOStream process;
    private final Thread stdin;
    private final Thread stdout;
    private final Thread stderr;
    private final java.util.concurrent.atomic.AtomicBoolean stdinClosed = new java.util.concurrent.atomic.AtomicBoolean();

    private FifoRelay(IOStream process, String stdinPath, String stdoutPath, String stderrPath, String name) {
        this.process = process;
        this.stdin = process.stdin() == null || stdinPath.isEmpty() ? null : daemon(name + "-stdin", () -> pumpStdin(stdinPath));
        this.stdout = process.stdout() == null ? null : daemon(name + "-stdout", () -> pumpOut(process.stdout(), stdoutPath));
        this.stderr = process.stderr() == null ? null : daemon(name + "-stderr", () -> pumpOut(process.stderr(), stderrPath));
    }

    static FifoRelay start(IOStream process, String stdinPath, String stdoutPath, String stderrPath, String name) {
        FifoRelay r = new FifoRelay(process, nz(stdinPath), nz(stdoutPath), nz(stderrPath), name);
        if (r.stdin == null) r.closeStdin();
        for (Thread t : new Thread[] {r.stdin, r.stdout, r.stderr}) {
            if (t != null) t.start();
        }
        return r;
    }

    /**
     * CloseIO: the client's stdin ended, but what it wrote may still be in the FIFO (ctr sends CloseIO when its stdin
     * ends and closes its end of the FIFO only once CloseIO was answered). So CloseIO returns at once and the relay
     * passes the rest on and closes the process's stdin at the FIFO's end; if that end has not come after
     * {@link #STDIN_DRAIN}, stdin is closed anyway.
     */
    void closeIO() {
        if (stdin == null) {
            closeStdin();
            return;
        }
        daemon("stdin-closeio", () -> {
            try {
                stdin.join(STDIN_DRAIN.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            closeStdin();
        }).start();
    }

    /** Closes the process's stdin, once (CloseIO, or the stdin FIFO ended). */
    void closeStdin() {
        if (process.stdin() == null || !stdinClosed.compareAndSet(false, true)) return;
        try {
            process.stdin().close();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing stdin: " + e);
        }
    }

    /** Waits up to {@code timeout} for stdout and stderr to end; true when both did. */
    boolean awaitOutput(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread t : new Thread[] {stdout, stderr}) {
            if (t == null) continue;
            t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            if (t.isAlive()) return false;
        }
        return true;
    }

    private void pumpStdin(String path) {
        byte[] buf = new byte[8192];
        try (InputStream in = new FileInputStream(path)) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                process.stdin().write(buf, 0, n);
                process.stdin().flush();
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "stdin relay from " + path + " ended: " + e);
        } finally {
            closeStdin();
        }
    }

    private static void pumpOut(InputStream from, String path) {
        byte[] buf = new byte[8192];
        try (from; RandomAccessFile fifo = path.isEmpty() ? null : new RandomAccessFile(path, "rw")) {
            OutputStream to = fifo == null ? OutputStream.nullOutputStream() : new java.io.FileOutputStream(fifo.getFD());
            int n;
            while ((n = from.read(buf)) >= 0) {
                to.write(buf, 0, n);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "output relay to " + path + " ended: " + e);
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
