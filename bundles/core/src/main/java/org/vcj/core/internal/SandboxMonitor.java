package org.vcj.core.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.vcj.api.NotFoundException;
import org.vcj.api.VcException;

/**
 * sandbox.monitor(): completes with the error that ended the sandbox's VM or agent (a QEMU that died, an agent
 * that stopped answering), or with null when the sandbox was deleted. Checks once a second.
 */
final class SandboxMonitor {

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "vcj-sandbox-monitor");
        t.setDaemon(true);
        return t;
    });

    private SandboxMonitor() { }

    static CompletionStage<VcException> watch(SandboxOps ops, String sandboxId) {
        CompletableFuture<VcException> done = new CompletableFuture<>();
        AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
        task.set(TIMER.scheduleWithFixedDelay(() -> {
            if (done.isDone()) {
                task.get().cancel(false);
                return;
            }
            try {
                SandboxRecord r = ops.load(sandboxId);
                if (r.vm() == null) return;
                ops.engine.hypervisor(r).check(r.vm());
                // A paused VM's agent cannot answer; that is not a death.
                if (!r.vmPaused()) ops.engine.agents.of(r).check(java.time.Duration.ofSeconds(5));
            } catch (NotFoundException gone) {
                done.complete(null);
            } catch (VcException e) {
                done.complete(e);
            } catch (RuntimeException e) {
                done.complete(new org.vcj.api.HypervisorException(sandboxId, "monitor", e.toString(), e));
            }
        }, 0, 1, TimeUnit.SECONDS));
        done.whenComplete((v, e) -> task.get().cancel(false));
        return done;
    }
}
