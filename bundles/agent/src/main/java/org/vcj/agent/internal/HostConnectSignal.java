package org.vcj.agent.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import com.sun.jna.NativeLong;

/**
 * Wakes the thread that waits for a host on a virtio-serial port as soon as the host end connects, instead of at its
 * next poll: with {@code O_ASYNC} and {@code F_SETOWN} on the port, the guest kernel signals SIGIO to the agent when
 * the host opens (or closes) its end, and the handler unparks the waiter. Armed only while no host is connected, so
 * a session's traffic raises no signals. A template's clone reconnects at once, and an idle agent wakes once per
 * {@link #IDLE_POLL_MILLIS} instead of ten times a second. Where SIGIO or the port's fd cannot be had, {@link #install}
 * returns null and the caller keeps polling.
 */
final class HostConnectSignal {

    private static final System.Logger LOG = System.getLogger("org.vcj.agent.serial");
    /** The longest wait for a host without a signal (a signal missed for any reason costs at most this). */
    static final long IDLE_POLL_MILLIS = 5000;

    private final int fd;
    private final int flags;

    private HostConnectSignal(int fd, int flags) {
        this.fd = fd;
        this.flags = flags;
    }

    /** Arranges for {@code waiter} to be unparked when a host connects to {@code port}, or null when it cannot. */
    static HostConnectSignal install(Path port, Thread waiter) {
        try {
            int fd = fdOf(port);
            int flags = JnaLibc.C.fcntl(fd, JnaLibc.F_GETFL, 0);
            if (fd < 0 || flags < 0) throw new IOException("no open fd of " + port);
            sun.misc.Signal.handle(new sun.misc.Signal("IO"), s -> LockSupport.unpark(waiter));
            if (JnaLibc.C.fcntl(fd, JnaLibc.F_SETOWN, (int) ProcessHandle.current().pid()) < 0) {
                throw new IOException("F_SETOWN: " + JnaLibc.lastError());
            }
            return new HostConnectSignal(fd, flags);
        } catch (IOException | RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.INFO, "no host-connect signal on {0} ({1}): polling every 100 ms", port, e.toString());
            return null;
        }
    }

    /** Parks until the host connects (signalled), or {@link #IDLE_POLL_MILLIS} passed, or the thread is interrupted. */
    void awaitHost() {
        if (JnaLibc.C.fcntl(fd, JnaLibc.F_SETFL, flags | JnaLibc.O_ASYNC) < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            return;
        }
        try {
            // a host that connected before the arming raised no signal: it shows as the port's hang-up gone
            if (hungUp()) LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(IDLE_POLL_MILLIS));
        } finally {
            JnaLibc.C.fcntl(fd, JnaLibc.F_SETFL, flags);
        }
    }

    /** Whether the port reports POLLHUP (no host connected), polled without waiting. */
    private boolean hungUp() {
        ByteBuffer pfd = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
        pfd.putInt(0, fd).putShort(4, (short) JnaLibc.POLLIN);
        byte[] raw = pfd.array();
        if (JnaLibc.C.poll(raw, new NativeLong(1), 0) < 0) return true;
        short revents = ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder()).getShort(6);
        return (revents & JnaLibc.POLLHUP) != 0;
    }

    /** The number of this process's open fd on {@code port} (found through /proc/self/fd), or -1. */
    private static int fdOf(Path port) throws IOException {
        Path real = port.toRealPath();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    if (Files.readSymbolicLink(fd).equals(real)) return Integer.parseInt(fd.getFileName().toString());
                } catch (IOException | NumberFormatException gone) {
                    // an fd closed while listing, or not a link
                }
            }
        }
        return -1;
    }
}
