package org.vcj.shell.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.vcj.api.IOStream;

/**
 * Relays a process's stdio to local streams, byte for byte: one thread pumps the local input into the
 * process's stdin (closing it at EOF), one pumps stdout and one stderr. Every wait is bounded.
 * <p>
 * No relay thread ever ends with an exception: a process that ended (or an agent that went away) while
 * input was still arriving just ends the stdin relay, and a failing read of the process's output ends that
 * relay; both are logged (the log file), the caller learns the outcome from the process's exit status.
 * When a local output stream is closed (a pipe whose reader ended, as in {@code vcj run -- seq 1 1000000 | head -1})
 * the relay calls {@code onOutputClosed} once, then reads and discards the rest of the output, so that the
 * process is never blocked on a full pipe. Create with {@link #start}; thread-safe.
 */
final class StdioRelay implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(StdioRelay.class.getName());
    private static final long POLL_MILLIS = 20;

    private final Thread stdin;
    private final Thread stdout;
    private final Thread stderr;
    private final Runnable onOutputClosed;
    private final AtomicBoolean outputClosed = new AtomicBoolean();
    private volatile boolean closed;

    private StdioRelay(IOStream process, Io io, String name, Runnable onOutputClosed) {
        this.onOutputClosed = onOutputClosed;
        this.stdin = process.stdin() == null ? null
                : daemon(name + "-stdin", () -> pumpStdin(io.in(), process.stdin(), io.stdinBlocking()));
        this.stdout = process.stdout() == null ? null : daemon(name + "-stdout", () -> pumpOut(process.stdout(), io.out()));
        this.stderr = process.stderr() == null ? null : daemon(name + "-stderr", () -> pumpOut(process.stderr(), io.err()));
    }

    /**
     * Starts relaying.
     *
     * @param relayStdin     whether to relay {@code io.in()}; when false the process's stdin is closed at once
     * @param onOutputClosed run once, on a relay thread, when {@code io.out()} or {@code io.err()} can no longer
     *                       be written (must not throw)
     */
    static StdioRelay start(IOStream process, Io io, String name, boolean relayStdin, Runnable onOutputClosed) {
        if (!relayStdin) closeQuietly(process.stdin());
        StdioRelay r = new StdioRelay(relayStdin ? process : new IOStream(null, process.stdout(), process.stderr()), io, name,
                onOutputClosed);
        for (Thread t : new Thread[] {r.stdin, r.stdout, r.stderr}) {
            if (t != null) t.start();
        }
        return r;
    }

    /** {@link #start(IOStream, Io, String, boolean, Runnable)} with nothing to do when an output is closed. */
    static StdioRelay start(IOStream process, Io io, String name, boolean relayStdin) {
        return start(process, io, name, relayStdin, () -> { });
    }

    /**
     * Waits until the process's stdout and stderr have ended (the process exited and the agent drained
     * them) or {@code timeout} has passed.
     *
     * @return true when both ended within the timeout
     */
    boolean awaitOutput(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread t : new Thread[] {stdout, stderr}) {
            if (t == null) continue;
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            t.join(left);
            if (t.isAlive()) return false;
        }
        return true;
    }

    /** Whether a local output stream was found closed (the rest of the output was discarded). */
    boolean outputClosed() {
        return outputClosed.get();
    }

    /** Stops relaying stdin (the process ended: its stdin is no longer written, nor closed); output threads end with their streams. */
    @Override
    public void close() {
        closed = true;
        if (stdin != null) stdin.interrupt();
    }

    private void pumpStdin(InputStream in, OutputStream target, boolean blocking) {
        byte[] buf = new byte[8192];
        try {
            while (!closed) {
                int n;
                if (blocking) {
                    n = in.read(buf);
                } else {
                    int avail = in.available();
                    if (avail <= 0) {
                        Thread.sleep(POLL_MILLIS);
                        continue;
                    }
                    n = in.read(buf, 0, Math.min(avail, buf.length));
                }
                if (closed) return;
                if (n < 0) {
                    target.close();
                    return;
                }
                target.write(buf, 0, n);
                target.flush();
            }
        } catch (InterruptedException | InterruptedIOException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            // the process ended, or its sandbox went away, while input was arriving: its exit status tells the rest
            LOG.log(System.Logger.Level.DEBUG, "stdin relay ended: " + e);
        }
    }

    private void pumpOut(InputStream from, PrintStream to) {
        byte[] buf = new byte[8192];
        try (from) {
            int n;
            while ((n = from.read(buf)) >= 0) {
                if (outputClosed.get()) continue;
                to.write(buf, 0, n);
                to.flush();
                if (to.checkError() && outputClosed.compareAndSet(false, true)) {
                    LOG.log(System.Logger.Level.DEBUG, "local output closed; discarding the rest of the process's output");
                    onOutputClosed.run();
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "output relay ended: " + e);
        }
    }

    private static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static void closeQuietly(OutputStream s) {
        if (s == null) return;
        try {
            s.close();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing stdin: " + e);
        }
    }
}
