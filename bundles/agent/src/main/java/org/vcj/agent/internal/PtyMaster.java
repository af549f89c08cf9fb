package org.vcj.agent.internal;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The master side of a container's pseudo-terminal, received from the OCI runtime: what the process
 * prints is read here, what the user types is written here, and the window size is set here.
 * Thread-safe: one thread reads (through {@link #input()}); writes, resizes and close are serialised.
 * The descriptor is closed once, by {@link #close()} (the reader calls it at end of stream).
 */
final class PtyMaster implements AutoCloseable {
    private final int fd;
    private boolean closed;

    PtyMaster(int fd) {
        this.fd = fd;
    }

    /** A stream of the terminal's output; ends (-1) when every slave is closed (EIO), closing it closes the master. */
    InputStream input() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                byte[] buf = new byte[Math.min(len, 8192)];
                while (true) {
                    long n = JnaLibc.C.read(fd, buf, new NativeLong(buf.length)).longValue();
                    if (n > 0) {
                        System.arraycopy(buf, 0, b, off, (int) n);
                        return (int) n;
                    }
                    if (n == 0) {
                        return -1;
                    }
                    int err = Native.getLastError();
                    if (err == JnaLibc.EIO) {
                        return -1;
                    }
                    if (err != JnaLibc.EINTR && err != JnaLibc.EAGAIN) {
                        throw new IOException("read from terminal failed: " + JnaLibc.lastError());
                    }
                }
            }

            @Override
            public void close() {
                PtyMaster.this.close();
            }
        };
    }

    /** Writes all of {@code data} as typed input. */
    synchronized void write(byte[] data) throws IOException {
        requireOpen();
        int off = 0;
        while (off < data.length) {
            byte[] rest = off == 0 ? data : Arrays.copyOfRange(data, off, data.length);
            long n = JnaLibc.C.write(fd, rest, new NativeLong(rest.length)).longValue();
            if (n < 0) {
                if (Native.getLastError() == JnaLibc.EINTR) {
                    continue;
                }
                throw new IOException("write to terminal failed: " + JnaLibc.lastError());
            }
            off += (int) n;
        }
    }

    /** Sets the window size; the kernel sends SIGWINCH to the terminal's foreground process group. */
    synchronized void resize(int rows, int columns) throws IOException {
        requireOpen();
        byte[] ws = {(byte) rows, (byte) (rows >> 8), (byte) columns, (byte) (columns >> 8), 0, 0, 0, 0};
        if (JnaLibc.C.ioctl(fd, new NativeLong(JnaLibc.TIOCSWINSZ), ws) != 0) {
            throw new IOException("TIOCSWINSZ " + rows + "x" + columns + " failed: " + JnaLibc.lastError());
        }
    }

    private void requireOpen() throws IOException {
        if (closed) {
            throw new IOException("the terminal is closed (the process has exited)");
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            JnaLibc.C.close(fd);
        }
    }
}
