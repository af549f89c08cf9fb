package org.vcj.shell.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import org.vcj.api.IOStream;

/**
 * Relays a process's stdio to local streams, byte for byte: one thread pumps the local input into the
 * process's stdin (closing it at EOF), one pumps stdout and one stderr. Every wait is bounded.
 * Create with {@link #start}; thread-safe.
 */
final class StdioRelay implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(StdioRelay.class.getName());
    private static final long POLL_MILLIS = 20;

    private final Thread stdin;
    private final Thread stdout;
    private final Thread stderr;
    private volatile boolean closed;

    private StdioRelay(IOStream process, Io io, String name) {
        this.stdin = process.stdin() == null ? null
                : daemon(name + "-stdin", () -> pumpStdin(io.in(), process.stdin(), io.stdinBlocking()));
        this.stdout = process.stdout() == null ? null : daemon(name + "-stdout", () -> pumpOut(process.stdout(), io.out()));
        this.stderr = process.stderr() == null ? null : daemon(name + "-stderr", () -> pumpOut(process.stderr(), io.err()));
    }

    /**
     * Starts relaying.
     *
     * @param relayStdin whether to relay {@code io.in()}; when false the process's stdin is closed at once
     */
    static StdioRelay start(IOStream process, Io io, String name, boolean relayStdin) {
        if (!relayStdin) closeQuietly(process.stdin());
        StdioRelay r = new StdioRelay(relayStdin ? process : new IOStream(null, process.stdout(), process.stderr()), io, name);
        for (Thread t : new Thread[] {r.stdin, r.stdout, r.stderr}) {
            if (t != null) t.start();
        }
        return r;
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

    /** Stops relaying stdin; output threads end with their streams. */
    @Override
    public void close() {
        closed = true;
        if (stdin != null) stdin.interrupt();
    }

    private void pumpStdin(InputStream in, OutputStream target, boolean blocking) {
        byte[] buf = new byte[8192];
        try (target) {
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
                if (n < 0 || closed) break;
                target.write(buf, 0, n);
                target.flush();
            }
        } catch (InterruptedException | InterruptedIOException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            if (!closed) LOG.log(System.Logger.Level.DEBUG, "stdin relay ended: " + e);
        }
    }

    private static void pumpOut(InputStream from, PrintStream to) {
        byte[] buf = new byte[8192];
        try (from) {
            int n;
            while ((n = from.read(buf)) >= 0) {
                to.write(buf, 0, n);
                to.flush();
            }
        } catch (IOException e) {
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
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing stdin: " + e);
        }
    }
}
