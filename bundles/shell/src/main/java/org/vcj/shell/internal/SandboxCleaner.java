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

    SandboxCleaner(VC vc, String id) {
        this.vc = vc;
        this.id = id;
    }

    /** The sandbox is not ours (its id was already taken): never remove it. */
    void disown() { disowned.set(true); }

    /**
     * Stops (forcing when a normal stop fails) and deletes the sandbox; one that is already gone counts as removed.
     *
     * @param err where to report a failure ({@code null}: the log only, as in a shutdown hook)
     * @return true when the sandbox is gone (or was not ours, or another caller is removing it)
     */
    boolean remove(PrintStream err) {
        if (disowned.get() || !started.compareAndSet(false, true)) return true;
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
