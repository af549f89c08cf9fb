package org.vcj.shell.internal;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicBoolean;
import org.vcj.api.NotFoundException;
import org.vcj.api.VC;
import org.vcj.api.VcException;

/**
 * Stops and deletes the sandbox one foreground {@code run} created, at most once (the verb and a
 * shutdown hook may both ask). Thread-safe.
 */
final class SandboxCleaner {
    private static final System.Logger LOG = System.getLogger(SandboxCleaner.class.getName());
    private final VC vc;
    private final String id;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean disowned = new AtomicBoolean();
    private final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    private volatile boolean removed = true;
    /** How long a second caller waits for the first one's removal. */
    static final long AWAIT_OTHER_MILLIS = 120_000;

    SandboxCleaner(VC vc, String id) {
        this.vc = vc;
        this.id = id;
    }

    /** The sandbox is not ours (its id was already taken): never remove it. */
    void disown() { disowned.set(true); }

    /**
     * Stops (forcing when a normal stop fails) and deletes the sandbox; one that is already gone counts as removed.
     * When another caller (the shutdown hook on SIGTERM, or the verb) is already removing it, waits for that removal
     * to end (at most {@link #AWAIT_OTHER_MILLIS}): the verb's thread must not go on to stop the framework while the
     * hook still needs it, which left the sandbox half-deleted.
     *
     * @param err where to report a failure ({@code null}: the log only, as in a shutdown hook)
     * @return true when the sandbox is gone (or was not ours, or the other caller's removal is still going on)
     */
    boolean remove(PrintStream err) {
        if (disowned.get()) return true;
        if (!started.compareAndSet(false, true)) {
            try {
                if (!done.await(AWAIT_OTHER_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS)) return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
            return removed;
        }
        try {
            removed = removeOnce(err);
            return removed;
        } finally {
            done.countDown();
        }
    }

    private boolean removeOnce(PrintStream err) {
        try {
            try {
                vc.stopSandbox(id, false);
            } catch (NotFoundException e) {
                return true;
            } catch (VcException e) {
                LOG.log(System.Logger.Level.DEBUG, "stop of sandbox " + id + " failed, forcing: " + e.getMessage());
                vc.stopSandbox(id, true);
            }
            vc.deleteSandbox(id);
            return true;
        } catch (NotFoundException e) {
            return true;
        } catch (RuntimeException e) {
            String msg = "vcj: could not remove sandbox '" + id + "': " + e.getMessage()
                    + " (remove it with: vcj delete --force " + id + ")";
            if (err != null) err.println(msg);
            LOG.log(System.Logger.Level.WARNING, msg, e);
            return false;
        }
    }
}
