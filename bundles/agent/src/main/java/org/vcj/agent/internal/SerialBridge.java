package org.vcj.agent.internal;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * Bridges a virtio-serial port to the agent's internal Unix socket. The port is opened once and
 * kept open. A read of 0 bytes (EOF) means no host is connected: the bridge closes its current
 * connection to the internal socket (so gRPC drops the stale HTTP/2 session) and waits for a host
 * ({@link HostConnectSignal}: woken when the host connects, else a backoff) before reading again; the next bytes
 * from a host open a fresh connection. A new HTTP/2 client preface in the
 * byte stream (a new host connection on a channel that never reported EOF, e.g. a pty) also starts
 * a fresh connection. Limitation: a preface split across two reads is not recognised.
 */
public final class SerialBridge implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("org.vcj.agent.serial");
    private static final long BACKOFF_MS = 100;
    /** Every new gRPC client connection starts with this; seeing it again means a new host session. */
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final Path port;
    private final Path internal;
    private final RandomAccessFile file;
    private final FileInputStream in;
    private final FileOutputStream out;
    private volatile SocketChannel conn;
    private volatile boolean closed;
    private String lastError;
    private HostConnectSignal hostSignal;

    /** Opens the port (once). */
    public SerialBridge(Path port, Path internalSocket) throws IOException {
        this.port = port;
        this.internal = internalSocket;
        this.file = new RandomAccessFile(port.toFile(), "rw");
        this.in = new FileInputStream(file.getFD());
        this.out = new FileOutputStream(file.getFD());
    }

    /** Starts the host-to-agent pump thread. */
    public void start() {
        Thread t = new Thread(this::hostToAgent, "serial-in");
        t.setDaemon(true);
        t.start();
    }

    private void hostToAgent() {
        hostSignal = HostConnectSignal.install(port, Thread.currentThread());
        byte[] buf = new byte[65536];
        while (!closed) {
            try {
                int n = in.read(buf);
                if (n <= 0) {
                    dropConnection("no host connected");
                    awaitHost();
                    continue;
                }
                lastError = null;
                int from = 0;
                int preface = indexOfPreface(buf, n);
                if (preface >= 0 && conn != null) {
                    forward(conn, buf, 0, preface); // tail of the old session, then start afresh
                    dropConnection("new HTTP/2 client preface from the host");
                    from = preface;
                }
                SocketChannel c = conn;
                if (c == null) {
                    c = connect();
                }
                forward(c, buf, from, n - from);
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                if (!String.valueOf(e.getMessage()).equals(lastError)) {
                    lastError = String.valueOf(e.getMessage());
                    LOG.log(System.Logger.Level.WARNING, "serial bridge " + port + ": " + lastError + " (retrying every " + BACKOFF_MS + " ms)");
                }
                dropConnection("error");
                sleepQuietly();
            }
        }
    }

    private static void forward(SocketChannel c, byte[] buf, int off, int len) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(buf, off, len);
        while (bb.hasRemaining()) {
            c.write(bb);
        }
    }

    /** Where the HTTP/2 client connection preface starts in buf[0..n), or -1. */
    static int indexOfPreface(byte[] buf, int n) {
        outer:
        for (int i = 0; i + PREFACE.length <= n; i++) {
            for (int j = 0; j < PREFACE.length; j++) {
                if (buf[i + j] != PREFACE[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private SocketChannel connect() throws IOException {
        SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(internal));
        conn = c;
        LOG.log(System.Logger.Level.INFO, "host connected on {0}", port);
        Thread t = new Thread(() -> agentToHost(c), "serial-out");
        t.setDaemon(true);
        t.start();
        return c;
    }

    private void agentToHost(SocketChannel c) {
        ByteBuffer bb = ByteBuffer.allocate(65536);
        try {
            while (c.read(bb) >= 0) {
                bb.flip();
                out.write(bb.array(), 0, bb.limit());
                bb.clear();
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "agent-to-host pump ended: {0}", e.getMessage());
        }
        if (conn == c) {
            dropConnection("agent side closed");
        }
    }

    private synchronized void dropConnection(String why) {
        SocketChannel c = conn;
        if (c != null) {
            conn = null;
            LOG.log(System.Logger.Level.INFO, "host session on {0} ended ({1})", port, why);
            try {
                c.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    /** Until a host may have connected: signalled at once where the port can signal it, else after a backoff. */
    private void awaitHost() throws InterruptedException {
        if (hostSignal == null) {
            Thread.sleep(BACKOFF_MS);
            return;
        }
        hostSignal.awaitHost();
        if (Thread.interrupted()) throw new InterruptedException();
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(BACKOFF_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        dropConnection("agent shutting down");
        file.close();
    }
}
