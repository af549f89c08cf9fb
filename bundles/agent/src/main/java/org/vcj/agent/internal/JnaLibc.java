package org.vcj.agent.internal;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * The few libc calls Java has no API for (Linux, 64-bit): Unix sockets that receive file descriptors,
 * terminal ioctls, {@code prctl}, {@code waitpid}, {@code fcntl} (asynchronous I/O signals), and the guest's clock,
 * hostname and mounts (a process for each of those costs a fork and an exec, slow under TCG). Errors are reported through {@link Native#getLastError()}.
 * Loaded once; JNA extracts its dispatch library into {@code jna.tmpdir} (default {@code java.io.tmpdir}).
 */
interface JnaLibc extends Library {
    JnaLibc C = Native.load("c", JnaLibc.class);

    int AF_UNIX = 1;
    int SOCK_STREAM = 1;
    int SOCK_CLOEXEC = 0x80000;
    int SOL_SOCKET = 1;
    int SCM_RIGHTS = 1;
    int MSG_CMSG_CLOEXEC = 0x40000000;
    int POLLIN = 1;
    int EINTR = 4;
    int EAGAIN = 11;
    int EIO = 5;
    int ECHILD = 10;
    int PR_SET_CHILD_SUBREAPER = 36;
    short POLLHUP = 0x10;
    int F_GETFL = 3;
    int F_SETFL = 4;
    int F_SETOWN = 8;
    int O_ASYNC = 0x2000;
    long TIOCSWINSZ = 0x5414;
    long TIOCGWINSZ = 0x5413;

    int socket(int domain, int type, int protocol);

    int bind(int fd, byte[] addr, int len);

    int listen(int fd, int backlog);

    int accept4(int fd, Pointer addr, Pointer len, int flags);

    int poll(byte[] fds, NativeLong nfds, int timeoutMillis);

    NativeLong recvmsg(int fd, Pointer msghdr, int flags);

    NativeLong read(int fd, byte[] buf, NativeLong count);

    NativeLong write(int fd, byte[] buf, NativeLong count);

    int ioctl(int fd, NativeLong request, byte[] arg);

    int close(int fd);

    int fcntl(int fd, int cmd, int arg);

    int prctl(int option, NativeLong arg2, NativeLong arg3, NativeLong arg4, NativeLong arg5);

    int waitpid(int pid, int[] status, int options);

    int CLOCK_REALTIME = 0;

    /** {@code timespec}: seconds, nanoseconds. */
    int clock_settime(int clockId, long[] timespec);

    int sethostname(byte[] name, NativeLong len);

    int mount(String source, String target, String fsType, NativeLong flags, String data);

    int umount2(String target, int flags);

    String strerror(int errnum);

    /** "strerror (errno N)" of the last failed call on this thread. */
    static String lastError() {
        int e = Native.getLastError();
        return C.strerror(e) + " (errno " + e + ")";
    }
}
