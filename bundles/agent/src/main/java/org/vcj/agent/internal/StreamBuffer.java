package org.vcj.agent.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Buffers one output stream of a process agent-side: a pump thread fills it from the pipe,
 * {@link #read} drains it. Thread-safe. The buffer is capped at {@value #CAP} bytes (8 MiB): when
 * nobody drains it, the oldest bytes are dropped (and counted) so a chatty process never blocks on
 * its pipe, and the reader is told: where the dropped bytes were, the next read returns the line
 * {@code [vcj: N bytes of output dropped: more than 8 MiB was not read in time]} (see {@link #marker}).
 */
public final class StreamBuffer {
    /** At most this many unread bytes are kept per stream. */
    public static final int CAP = 8 << 20;
    private byte[] buf = new byte[4096];
    private int len;
    private long dropped;
    private long droppedUnreported;
    private boolean eof;

    /** Starts a daemon thread copying {@code in} into this buffer until EOF. */
    public void pumpFrom(InputStream in, String name) {
        Thread t = new Thread(() -> pump(in), name);
        t.setDaemon(true);
        t.start();
    }

    private void pump(InputStream in) {
        byte[] chunk = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(chunk)) > 0) {
                append(chunk, n);
            }
        } catch (IOException closed) {
            // pipe closed: treat as end of stream
        } finally {
            markEof();
        }
    }

    synchronized void append(byte[] data, int n) {
        if (len + n > CAP) {
            int drop = Math.min(len, len + n - CAP);
            System.arraycopy(buf, drop, buf, 0, len - drop);
            len -= drop;
            dropped += drop;
            droppedUnreported += drop;
        }
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
        System.arraycopy(data, 0, buf, len, n);
        len += n;
        notifyAll();
    }

    synchronized void markEof() {
        eof = true;
        notifyAll();
    }

    /** Result of one read: data (maybe empty) and whether the stream has ended and is drained. */
    public record Chunk(byte[] data, boolean eof) {
    }

    /** The line a reader gets in place of {@code n} dropped bytes. */
    public static byte[] marker(long n) {
        return ("\n[vcj: " + n + " bytes of output dropped: more than 8 MiB was not read in time]\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Waits up to {@code waitMillis} for data; returns at most {@code max} bytes (max 0 = 1 MiB). After bytes were
     * dropped, the next chunk is the {@link #marker} saying how many (it may exceed {@code max}).
     */
    public synchronized Chunk read(int max, long waitMillis) throws InterruptedException {
        if (droppedUnreported > 0) {
            byte[] m = marker(droppedUnreported);
            droppedUnreported = 0;
            return new Chunk(m, false);
        }
        long deadline = System.nanoTime() + waitMillis * 1_000_000L;
        while (len == 0 && !eof) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return new Chunk(new byte[0], false);
            }
            wait(left);
        }
        int n = Math.min(len, max <= 0 ? 1 << 20 : max);
        byte[] out = Arrays.copyOf(buf, n);
        System.arraycopy(buf, n, buf, 0, len - n);
        len -= n;
        return new Chunk(out, len == 0 && eof);
    }

    /** Bytes dropped because nobody read them in time. */
    public synchronized long dropped() {
        return dropped;
    }

    /** True once the stream has ended and every byte was read. */
    public synchronized boolean drained() {
        return eof && len == 0 && droppedUnreported == 0;
    }
}
