package org.vcj.shim.internal;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.Empty;

import org.vcj.shim.proto.TaskProto;

/**
 * The life of the one shim service of a root: it serves every task of that root and ends once it has had no task
 * and no call for the idle timeout ({@code shim.idle.timeout}), and never while a call is being answered. Shutdown ends only the caller's task (with
 * {@code now}, the task is removed if containerd left it); the service itself ends when idle.
 */
final class ServiceLifetime implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ServiceLifetime.class.getName());

    private final TaskRegistry tasks;
    private final TaskLifecycle lifecycle;
    private final Duration idleTimeout;
    private final Runnable stop;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "vcj-shim-idle");
        t.setDaemon(true);
        return t;
    });
    private volatile long lastCall = System.nanoTime();
    /** Calls being answered: a Create that boots a VM takes longer than the idle timeout, and no task exists yet. */
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();

    /** @param stop ends the service (its socket closes; the sandboxes go on) */
    ServiceLifetime(TaskRegistry tasks, TaskLifecycle lifecycle, Duration idleTimeout, Runnable stop) {
        this.tasks = tasks;
        this.lifecycle = lifecycle;
        this.idleTimeout = idleTimeout;
        this.stop = stop;
        long period = Math.max(50, Math.min(1000, idleTimeout.toMillis() / 4));
        timer.scheduleWithFixedDelay(this::checkIdle, period, period, TimeUnit.MILLISECONDS);
    }

    /** A client connected or a call ended: the idle time starts again. */
    void touch() {
        lastCall = System.nanoTime();
    }

    /** A call starts: the service does not end while it runs. */
    void begin() {
        inFlight.incrementAndGet();
        touch();
    }

    /** The call that {@link #begin} announced ended. */
    void end() {
        touch();
        inFlight.decrementAndGet();
    }

    private void checkIdle() {
        if (!tasks.isEmpty() || inFlight.get() > 0) return;
        long idleFor = System.nanoTime() - Math.max(lastCall, tasks.lastChange());
        if (idleFor >= idleTimeout.toNanos()) {
            LOG.log(System.Logger.Level.INFO, "no task for " + idleTimeout.toSeconds() + " s: the shim service ends");
            timer.shutdown();
            stop.run();
        }
    }

    TaskProto.ConnectResponse connect(TaskProto.ConnectRequest r) {
        ShimContainer c = tasks.find(r.getId());
        return TaskProto.ConnectResponse.newBuilder().setShimPid((int) ProcessHandle.current().pid())
                .setTaskPid(c == null ? 0 : c.init().pid()).setVersion("vcj").build();
    }

    Empty shutdown(TaskProto.ShutdownRequest r) {
        ShimContainer c = tasks.find(r.getId());
        if (c != null && r.getNow()) {
            LOG.log(System.Logger.Level.INFO, "Shutdown now of task " + c.id() + ": removing it");
            lifecycle.remove(c);
        }
        touch();
        return Empty.getDefaultInstance();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
