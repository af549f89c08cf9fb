package org.vcj.agent.internal;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * The listening end of an OCI runtime's {@code --console-socket}: runc/crun connect to it once and send
 * the container's pty master as an {@code SCM_RIGHTS} file descriptor. One use per instance; not thread-safe.
 */
final class UnixConsoleSocket implements AutoCloseable {
    private static final int SUN_PATH_MAX = 107;
    private final Path path;
    private final int fd;

    private UnixConsoleSocket(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /** Binds and listens on {@code path} (at most 107 bytes; an old file there is replaced). */
    static UnixConsoleSocket listen(Path path) throws IOException {
        byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
        if (name.length > SUN_PATH_MAX) {
            throw new IOException("console socket path " + path + " is longer than " + SUN_PATH_MAX + " bytes");
        }
        if (Native.POINTER_SIZE != 8) {
            throw new IOException("terminals need a 64-bit JVM (msghdr layout); this one has " + Native.POINTER_SIZE * 8 + "-bit pointers");
        }
        Files.deleteIfExists(path);
        int s = JnaLibc.C.socket(JnaLibc.AF_UNIX, JnaLibc.SOCK_STREAM | JnaLibc.SOCK_CLOEXEC, 0);
        if (s < 0) {
            throw new IOException("socket(AF_UNIX) for the console failed: " + JnaLibc.lastError());
        }
        byte[] addr = new byte[2 + SUN_PATH_MAX + 1];
        addr[0] = (byte) JnaLibc.AF_UNIX;
        System.arraycopy(name, 0, addr, 2, name.length);
        if (JnaLibc.C.bind(s, addr, addr.length) != 0 || JnaLibc.C.listen(s, 1) != 0) {
            String err = JnaLibc.lastError();
            JnaLibc.C.close(s);
            throw new IOException("cannot listen on console socket " + path + ": " + err);
        }
        return new UnixConsoleSocket(path, s);
    }

    Path path() {
        return path;
    }

    /**
     * Waits for the runtime to connect and send the pty master.
     *
     * @param timeoutMillis overall bound
     * @param stillUseful   polled every 100 ms; when false (the runtime exited) waiting stops with an IOException
     * @return the received file descriptor (close-on-exec), owned by the caller
     */
    int receiveFd(long timeoutMillis, BooleanSupplier stillUseful) throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        byte[] pollfd = new byte[8];
        while (true) {
            pollfd[0] = (byte) fd; pollfd[1] = (byte) (fd >> 8); pollfd[2] = (byte) (fd >> 16); pollfd[3] = (byte) (fd >> 24);
            pollfd[4] = (byte) JnaLibc.POLLIN; pollfd[5] = 0; pollfd[6] = 0; pollfd[7] = 0;
            int n = JnaLibc.C.poll(pollfd, new NativeLong(1), 100);
            if (n > 0) {
                break;
            }
            if (n < 0 && Native.getLastError() != JnaLibc.EINTR) {
                throw new IOException("poll on console socket " + path + " failed: " + JnaLibc.lastError());
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("no console received on " + path + " within " + timeoutMillis + " ms");
            }
            if (!stillUseful.getAsBoolean()) {
                throw new IOException("the OCI runtime exited without sending a console on " + path);
            }
        }
        int conn = JnaLibc.C.accept4(fd, Pointer.NULL, Pointer.NULL, JnaLibc.SOCK_CLOEXEC);
        if (conn < 0) {
            throw new IOException("accept on console socket " + path + " failed: " + JnaLibc.lastError());
        }
        try {
            return recvFd(conn);
        } finally {
            JnaLibc.C.close(conn);
        }
    }

    /** recvmsg with room for one SCM_RIGHTS descriptor; x86-64/aarch64 msghdr and cmsghdr layouts. */
    private int recvFd(int conn) throws IOException {
        Memory data = new Memory(4096);
        Memory iov = new Memory(16);
        iov.setPointer(0, data);
        iov.setLong(8, data.size());
        Memory control = new Memory(64);
        control.clear();
        Memory msg = new Memory(56);
        msg.clear();
        msg.setPointer(16, iov);
        msg.setLong(24, 1);
        msg.setPointer(32, control);
        msg.setLong(40, control.size());
        long n;
        do {
            n = JnaLibc.C.recvmsg(conn, msg, JnaLibc.MSG_CMSG_CLOEXEC).longValue();
        } while (n < 0 && Native.getLastError() == JnaLibc.EINTR);
        if (n < 0) {
            throw new IOException("recvmsg on console socket " + path + " failed: " + JnaLibc.lastError());
        }
        long controlLen = msg.getLong(40);
        if (controlLen < 20 || control.getInt(8) != JnaLibc.SOL_SOCKET || control.getInt(12) != JnaLibc.SCM_RIGHTS) {
            throw new IOException("the OCI runtime sent no file descriptor on console socket " + path);
        }
        return control.getInt(16);
    }

    @Override
    public void close() throws IOException {
        JnaLibc.C.close(fd);
        Files.deleteIfExists(path);
    }
}
