package org.vcj.shim.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

import org.vcj.api.NotFoundException;
import org.vcj.api.VC;
import org.vcj.api.VCSandbox;
import org.vcj.shim.proto.EventsProto;

/** Watches the shim's processes for their exits and its sandboxes for out-of-memory kills, and publishes both. */
final class ProcessWatcher {
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration OOM_POLL = Duration.ofSeconds(5);
    private static final System.Logger LOG = System.getLogger(ProcessWatcher.class.getName());

    private final VC vc;
    private final EventPublisher events;
    private final Predicate<String> sandboxInUse;
    private final ExecutorService waiters = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "vcj-shim-wait");
        t.setDaemon(true);
        return t;
    });

    /** @param sandboxInUse whether a task of this shim is still in the sandbox (its OOM watch ends when none is) */
    ProcessWatcher(VC vc, EventPublisher events, Predicate<String> sandboxInUse) {
        this.vc = vc;
        this.events = events;
        this.sandboxInUse = sandboxInUse;
    }

    /** Watches {@code p} for its exit ({@link #exit}) on a thread of its own. */
    void watchExit(VCSandbox sandbox, String namespace, String containerId, ShimProcess p) {
        waiters.execute(() -> exit(sandbox, namespace, containerId, p));
    }

    /** Watches sandbox {@code sandboxId} for OOM kills ({@link #oom}) on a thread of its own. */
    void watchOom(String namespace, String sandboxId) {
        waiters.execute(() -> oom(namespace, sandboxId));
    }

    /** Stops watching (the service ends; the processes go on). */
    void close() {
        waiters.shutdownNow();
    }

    /** Waits for the process's exit, lets its output drain (bounded), records the exit and publishes it. */
    void exit(VCSandbox sandbox, String namespace, String containerId, ShimProcess p) {
        int code;
        try {
            code = sandbox.waitProcess(containerId, p.agentId());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "waiting for " + p.name() + " failed; reporting exit 255", e);
            code = 255;
        }
        try {
            if (!p.relay().awaitOutput(DRAIN_TIMEOUT)) {
                LOG.log(System.Logger.Level.WARNING, p.name() + " exited but its output was still open after " + DRAIN_TIMEOUT.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Instant at = Instant.now();
        p.exited(code, at);
        LOG.log(System.Logger.Level.INFO, p.name() + " exited with " + code);
        events.publish(namespace, "/tasks/exit", EventsProto.TaskExit.newBuilder().setContainerId(containerId)
                .setId(p.isInit() ? containerId : p.execId).setPid(p.pid()).setExitStatus(code).setExitedAt(ProtoTime.ts(at)).build());
    }

    /**
     * Publishes the sandbox's out-of-memory kills as TaskOOM while a task of this shim is in it (the agent reports
     * them; each wait for one is bounded, so a sandbox that went away ends the loop).
     */
    void oom(String namespace, String sandboxId) {
        while (sandboxInUse.test(sandboxId)) {
            try {
                Optional<String> oom = vc.fetchSandbox(sandboxId).getOOMEvent(OOM_POLL);
                oom.filter(cid -> !cid.isEmpty()).ifPresent(cid -> {
                    LOG.log(System.Logger.Level.INFO, "container " + cid + " of sandbox " + sandboxId + " was killed for lack of memory");
                    events.publish(namespace, "/tasks/oom", EventsProto.TaskOOM.newBuilder().setContainerId(cid).build());
                });
            } catch (NotFoundException gone) {
                return;
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "OOM watch of " + sandboxId + ": " + e.getMessage());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

}
