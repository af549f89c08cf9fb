package org.vcj.agent.internal;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Observes the exit of a process the OCI runtime started detached ({@code run -d}, {@code exec -d}):
 * the agent is a child subreaper, so when the runtime exits the container process becomes the agent's
 * child and {@code waitpid} reports its status. One daemon thread per process. Thread-safe.
 */
final class ChildReaper {
    private static final System.Logger LOG = System.getLogger("org.vcj.agent.reaper");
    private static volatile boolean subreaper;

    private final int pid;
    private final CountDownLatch exited = new CountDownLatch(1);
    private volatile int status = -1;

    private ChildReaper(int pid) {
        this.pid = pid;
    }

    /** Makes this JVM the subreaper of its descendants (idempotent); must precede the detached start. */
    static synchronized void becomeSubreaper() throws java.io.IOException {
        if (subreaper) {
            return;
        }
        NativeLong one = new NativeLong(1);
        NativeLong zero = new NativeLong(0);
        if (JnaLibc.C.prctl(JnaLibc.PR_SET_CHILD_SUBREAPER, one, zero, zero, zero) != 0) {
            throw new java.io.IOException("prctl(PR_SET_CHILD_SUBREAPER) failed: " + JnaLibc.lastError());
        }
        subreaper = true;
    }

    /** Starts waiting for {@code pid}, which must be (or be about to become) a child of this JVM. */
    static ChildReaper watch(int pid, String name) {
        ChildReaper r = new ChildReaper(pid);
        Thread t = new Thread(r::reap, "reaper-" + name);
        t.setDaemon(true);
        t.start();
        return r;
    }

    private void reap() {
        int[] st = new int[1];
        while (true) {
            int r = JnaLibc.C.waitpid(pid, st, 0);
            if (r == pid) {
                status = decode(st[0]);
                break;
            }
            int err = Native.getLastError();
            if (r < 0 && err == JnaLibc.EINTR) {
                continue;
            }
            // not our child (no subreaper): we can only see that it is gone, not how it ended
            LOG.log(System.Logger.Level.WARNING, "waitpid({0}) failed: {1}; exit status unknown, reported as 255",
                    String.valueOf(pid), JnaLibc.lastError());
            ProcessHandle.of(pid).ifPresent(h -> h.onExit().join());
            status = 255;
            break;
        }
        exited.countDown();
    }

    /** exit code, or 128+signal for a process killed by a signal (the shell convention). */
    static int decode(int raw) {
        int sig = raw & 0x7f;
        return sig == 0 ? (raw >> 8) & 0xff : 128 + sig;
    }

    int pid() {
        return pid;
    }

    boolean alive() {
        return exited.getCount() > 0;
    }

    /** The decoded status; only meaningful once {@link #alive()} is false. */
    int status() {
        return status;
    }

    boolean await(long millis) throws InterruptedException {
        return exited.await(millis, TimeUnit.MILLISECONDS);
    }
}
