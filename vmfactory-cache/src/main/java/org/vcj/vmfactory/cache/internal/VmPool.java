package org.vcj.vmfactory.cache.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.vcj.api.VcException;
import org.vcj.support.factory.AgentWarmUp;
import org.vcj.support.fs.FileTrees;
import org.vcj.api.agent.Agent;
import org.vcj.api.agent.AgentConnector;
import org.vcj.api.factory.VMFactory;
import org.vcj.api.factory.VMRequest;
import org.vcj.api.hypervisor.VM;

/**
 * The cache's VMs: one thread keeps {@code size} VMs ready (made by the source factory, each in its own run
 * directory under {@code vms/}, its agent answering and warmed up by one throw-away sandbox: {@link AgentWarmUp}),
 * and refills as VMs are taken. A refill waits while VMs are being taken ({@link #REFILL_QUIET_MILLIS} since the last
 * take) unless the pool is empty: starting and warming a VM takes the host's CPU from the sandboxes being created on
 * the VMs just handed out. Each VM is in the {@link PoolJournal} before it is started and until it is stopped and
 * removed or handed over. Thread-safe.
 */
final class VmPool implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(VmPool.class.getName());
    /** How long after a take a refill waits while the pool still has a VM ready. */
    static final long REFILL_QUIET_MILLIS = 10_000;

    /** A ready VM and when it became ready. */
    record Ready(VM vm, long readyMillis) { }

    private final VMRequest prototype;
    private final VMFactory source;
    private final AgentConnector agents;
    private final Path vmsDir;
    private final PoolJournal journal;
    private final int size;
    private final LinkedBlockingDeque<Ready> ready = new LinkedBlockingDeque<>();
    private final AtomicInteger booting = new AtomicInteger();
    private final AtomicLong handedOut = new AtomicLong();
    private volatile long lastTakeNanos = System.nanoTime() - REFILL_QUIET_MILLIS * 1_000_000;
    private final AtomicLong failures = new AtomicLong();
    private volatile String lastFailure = "";
    private volatile boolean closed;
    private final Thread filler;

    VmPool(VMRequest prototype, VMFactory source, AgentConnector agents, Path vmsDir, PoolJournal journal, int size) {
        this.prototype = prototype;
        this.source = source;
        this.agents = agents;
        this.vmsDir = vmsDir;
        this.journal = journal;
        this.size = size;
        this.filler = new Thread(this::fill, "vcj-vmcache-filler");
        filler.setDaemon(true);
    }

    void start() {
        filler.start();
    }

    int booting() { return booting.get(); }
    long handedOut() { return handedOut.get(); }
    long failures() { return failures.get(); }
    String lastFailure() { return lastFailure; }
    List<Ready> ready() { return new ArrayList<>(ready); }

    /** Takes a ready VM, waiting up to {@code timeout} for one; null when none came. */
    VM take(Duration timeout) throws InterruptedException {
        Ready r = ready.pollFirst(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (r == null) return null;
        lastTakeNanos = System.nanoTime();
        handedOut.incrementAndGet();
        synchronized (this) {
            notifyAll();
        }
        return r.vm();
    }

    /** Records that {@code vm} was handed over: its directory is a sandbox's now, and the cache never stops it. */
    void handedOver(VM vm) {
        journal.ended(vm.id());
    }

    /** Gives back a VM that could not be handed over (it goes first in line again). */
    void giveBack(VM vm) {
        ready.addFirst(new Ready(vm, System.currentTimeMillis()));
    }

    private void fill() {
        long backoff = 1000;
        while (!closed) {
            synchronized (this) {
                while (!closed && (ready.size() >= size || !ready.isEmpty() && quietLeftMillis() > 0)) {
                    try {
                        wait(ready.size() >= size ? 1000 : Math.max(1, quietLeftMillis()));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
            if (closed) return;
            try {
                ready.addLast(new Ready(makeOne(), System.currentTimeMillis()));
                backoff = 1000;
            } catch (VcException | IOException e) {
                failures.incrementAndGet();
                lastFailure = e.getMessage();
                LOG.log(System.Logger.Level.WARNING, "VM cache: making a VM failed (retrying in " + backoff + " ms): " + e.getMessage());
                sleep(backoff);
                backoff = Math.min(backoff * 2, 30_000);
            }
        }
    }

    /** Milliseconds until {@link #REFILL_QUIET_MILLIS} have passed since the last take (0 when they have). */
    private long quietLeftMillis() {
        return Math.max(0, REFILL_QUIET_MILLIS - (System.nanoTime() - lastTakeNanos) / 1_000_000);
    }

    private VM makeOne() throws IOException {
        String id = "cache-" + UUID.randomUUID().toString().substring(0, 12);
        Path run = vmsDir.resolve(id);
        journal.started(id, prototype.hypervisorType());
        booting.incrementAndGet();
        VM vm = null;
        try {
            Files.createDirectories(run);
            vm = source.newVM(prototype.withVm(id, run));
            try (Agent agent = agents.connect(id, vm.agentAddress(), prototype.timeout())) {
                if (prototype.hypervisor().capabilities().isolation()) AgentWarmUp.run(agent, vm);
                LOG.log(System.Logger.Level.INFO, "VM cache: " + id + " ready");
            }
            if (closed) throw new IOException("the cache is closing");
            return vm;
        } catch (RuntimeException | IOException e) {
            if (vm != null) stop(vm);
            else prototype.hypervisor().cleanup(run);
            deleteTree(run);
            journal.ended(id);
            throw e;
        } finally {
            booting.decrementAndGet();
        }
    }

    private void stop(VM vm) {
        try {
            prototype.hypervisor().stopVM(vm, true);
        } catch (VcException e) {
            LOG.log(System.Logger.Level.WARNING, "VM cache: stopping " + vm.id() + " failed: " + e.getMessage());
            prototype.hypervisor().cleanup(Path.of(vm.runDir()));
        }
        if (deleteTree(Path.of(vm.runDir()))) journal.ended(vm.id());
    }

    /** Stops the filler and every VM nobody took, and removes their directories. */
    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            notifyAll();
        }
        try {
            filler.join(prototype.timeout().toMillis() + 10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Ready r;
        while ((r = ready.pollFirst()) != null) stop(r.vm());
        deleteTree(vmsDir);
        journal.deleteIfDone();
    }

    /** Whether {@code dir} is gone (a failure is logged: the journal keeps the VM for the next clean-up). */
    private static boolean deleteTree(Path dir) {
        try {
            FileTrees.delete(dir);
            return true;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "VM cache: cannot remove " + dir + ": " + e.getMessage());
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
