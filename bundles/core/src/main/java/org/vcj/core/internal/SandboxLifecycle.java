package org.vcj.core.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import java.lang.System.Logger.Level;
import java.time.Duration;

import org.vcj.api.AlreadyExistsException;
import org.vcj.api.ContainerConfig;
import org.vcj.api.ContainerState;
import org.vcj.api.SandboxConfig;
import org.vcj.api.SandboxState;
import org.vcj.api.VcException;
import org.vcj.api.factory.VMFactory;
import org.vcj.api.hypervisor.Hypervisor;
import org.vcj.core.internal.SandboxRecord.ContainerRecord;

/**
 * Sandbox state changes: create (VM, agent, containers), start, stop, pause, resume, delete. Callers hold the
 * sandbox lock; every state change is saved before the method returns.
 */
final class SandboxLifecycle {

    private static final System.Logger LOG = System.getLogger(SandboxLifecycle.class.getName());
    static final Duration VM_START_TIMEOUT = Duration.ofSeconds(180);

    private final Engine engine;
    private final ContainerLifecycle containers;
    private final VmBoot boot;

    SandboxLifecycle(Engine engine, ContainerLifecycle containers) {
        this.engine = engine;
        this.containers = containers;
        this.boot = new VmBoot(engine);
    }

    /**
     * Creates the VM (from the named VM factory; {@code direct} when none), the agent's sandbox and the configured
     * containers; on failure undoes all of it.
     */
    SandboxRecord create(SandboxConfig config, String factoryName) {
        String factoryType = factoryName == null || factoryName.isBlank() ? VMFactory.DIRECT : factoryName.trim();
        engine.hypervisors.require(config.hypervisorType().name(), engine.pluginGrace);
        engine.factories.require(factoryType, engine.pluginGrace);
        if (engine.records.find(config.id()).isPresent()) throw new AlreadyExistsException("sandbox", config.id());
        SandboxRecord r = engine.records.save(SandboxRecord.creating(config, factoryType));
        CrashPoints.reach("create.record-saved");
        try {
            r = boot.boot(r);
            long t = PhaseTimes.start();
            for (ContainerConfig cc : config.containers()) r = containers.create(r, cc);
            r = engine.records.save(r.moveTo(SandboxState.READY, "create"));
            PhaseTimes.since(t, r.id(), "create-containers+record");
            CrashPoints.reach("create.ready-saved");
            return r;
        } catch (RuntimeException e) {
            rollback(r, e);
            throw e;
        }
    }

    /**
     * Makes the sandbox run (the table's ways to RUNNING): a stopped sandbox first gets a new VM and its containers
     * back (READY); a ready one starts its ready containers; a paused one is resumed.
     */
    SandboxRecord start(SandboxRecord r) {
        if (r.state() == SandboxState.STOPPED) {
            StateGate.check(r, SandboxState.READY, "start");
            r = reboot(r);
        }
        StateGate.check(r, SandboxState.RUNNING, "start");
        if (r.state() == SandboxState.PAUSED) return resume(r);
        long t = PhaseTimes.start();
        for (ContainerRecord c : r.containers()) {
            if (c.state() == ContainerState.READY) r = containers.start(r, c.id());
        }
        CrashPoints.reach("start.containers-started");
        r = engine.records.save(r.moveTo(SandboxState.RUNNING, "start"));
        PhaseTimes.since(t, r.id(), "start-containers+record");
        CrashPoints.reach("start.running-saved");
        return r;
    }

    SandboxRecord stop(SandboxRecord r, boolean force) {
        if (r.state() == SandboxState.STOPPED) return r;
        StateGate.check(r, SandboxState.STOPPED, "stop");
        if (r.vm() != null && !engine.vmAlive(r)) {
            // The VM (and its agent) already ended, e.g. a runtime was killed while stopping it: nothing to ask.
            for (ContainerRecord c : r.containers()) {
                if (c.state() != ContainerState.STOPPED) r = engine.records.save(r.withContainer(c.exited(null, "stop")));
            }
            return powerOff(r, true);
        }
        try {
            if (r.vmPaused()) r = resumeVm(r);
            long t = PhaseTimes.start();
            for (ContainerRecord c : r.containers()) r = containers.stop(r, c.id(), force);
            t = PhaseTimes.since(t, r.id(), "stop-containers");
            CrashPoints.reach("stop.containers-stopped");
            if (r.vm() != null && guestCleanupMatters(r)) engine.agents.of(r).destroySandbox();
            PhaseTimes.since(t, r.id(), "agent-destroy-sandbox");
            CrashPoints.reach("stop.agent-destroyed");
        } catch (VcException e) {
            if (!force) throw e;
            LOG.log(Level.WARNING, "forced stop of " + r.id() + " goes on after: " + e.getMessage());
        }
        return powerOff(r, force);
    }

    /** Freezes the running containers, then pauses the VM when the hypervisor can. */
    SandboxRecord pause(SandboxRecord r) {
        StateGate.check(r, SandboxState.PAUSED, "pause");
        for (ContainerRecord c : r.containers()) {
            if (c.state() == ContainerState.RUNNING) r = containers.pause(r, c.id());
        }
        CrashPoints.reach("pause.containers-paused");
        Hypervisor hv = engine.hypervisor(r);
        if (hv.capabilities().pause()) {
            // Saved first: a runtime killed in between leaves a record that resumes the VM (harmless if it runs).
            r = engine.records.save(r.withVmPaused(true));
            try {
                hv.pauseVM(r.vm());
            } catch (VcException e) {
                r = engine.records.save(r.withVmPaused(false));
                for (ContainerRecord c : r.containers()) {
                    if (c.state() == ContainerState.PAUSED) r = containers.resume(r, c.id());
                }
                throw e;
            }
            CrashPoints.reach("pause.vm-paused");
        }
        return engine.records.save(r.moveTo(SandboxState.PAUSED, "pause"));
    }

    /** The reverse of pause: the VM first (when it was paused), then the frozen containers; a ready sandbox starts. */
    SandboxRecord resume(SandboxRecord r) {
        StateGate.check(r, SandboxState.RUNNING, "resume");
        if (r.state() == SandboxState.READY) return start(r);
        if (r.vmPaused()) r = resumeVm(r);
        for (ContainerRecord c : r.containers()) {
            if (c.state() == ContainerState.PAUSED) r = containers.resume(r, c.id());
        }
        return engine.records.save(r.moveTo(SandboxState.RUNNING, "resume"));
    }

    private SandboxRecord resumeVm(SandboxRecord r) {
        engine.hypervisor(r).resumeVM(r.vm());
        return engine.records.save(r.withVmPaused(false));
    }

    /**
     * Removes the sandbox and everything it left: VM processes, mounts, files, the record. A ready, running or paused
     * sandbox is stopped first (forced: containers killed, guest failures ignored); a record left in CREATING or
     * DELETING by a crash is cleaned up from what it saved.
     */
    void delete(SandboxRecord r) {
        boolean crashedCreate = r.state() == SandboxState.CREATING && (r.vm() == null || engine.vmAlive(r));
        if (r.state() != SandboxState.STOPPED && r.state() != SandboxState.DELETING && !crashedCreate) r = stop(r, true);
        long t = PhaseTimes.start();
        r = engine.records.save(r.moveTo(SandboxState.DELETING, "delete"));
        CrashPoints.reach("delete.deleting-saved");
        engine.agents.release(r.id());
        stopAnyVm(r);
        t = PhaseTimes.since(t, r.id(), "record-deleting+vm-cleanup");
        CrashPoints.reach("delete.vm-stopped");
        destroyFiles(r);
        t = PhaseTimes.since(t, r.id(), "files-removed");
        CrashPoints.reach("delete.files-removed");
        engine.records.delete(r.id());
        PhaseTimes.since(t, r.id(), "record-delete");
    }

    /**
     * Whether the agent must clean up before the VM is powered off: always for a hypervisor without isolation (the
     * mock's agent and containers are host processes); for a VM only when a container has a hot-plugged disk (removing
     * the containers releases what they mounted from it, which flushes the guest's cache). Anything else in the guest
     * (bundles, cgroups, the 9p mount, whose writes reach the host at once) ends with the VM.
     */
    private boolean guestCleanupMatters(SandboxRecord r) {
        return !engine.hypervisor(r).capabilities().isolation()
                || r.containers().stream().anyMatch(c -> !c.config().deviceInfos().isEmpty());
    }

    /**
     * A new VM for a stopped sandbox, with its stopped containers created again on their kept filesystems (each
     * STOPPED to READY), then the sandbox READY. A VM left by an earlier restart that crashed is stopped first.
     */
    private SandboxRecord reboot(SandboxRecord r) {
        r = abandonVm(r);
        try {
            r = boot.boot(r);
            for (ContainerRecord c : r.containers()) r = containers.recreate(r, c.id());
        } catch (RuntimeException e) {
            try {
                abandonVm(engine.records.find(r.id()).orElse(r));
            } catch (RuntimeException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
        return engine.records.save(r.moveTo(SandboxState.READY, "start"));
    }

    /** A stopped sandbox's record without a VM: one a failed or crashed restart left is stopped, its containers too. */
    private SandboxRecord abandonVm(SandboxRecord r) {
        if (r.vm() == null) return r;
        engine.agents.release(r.id());
        engine.hypervisor(r).stopVM(r.vm(), true);
        for (ContainerRecord c : r.containers()) {
            engine.sharer.unmountAllUnder(r.id(), java.nio.file.Path.of(r.vm().hostSharedDir(), c.id()));
            if (c.state() != ContainerState.STOPPED) r = r.withContainer(c.moveTo(ContainerState.STOPPED, "start"));
        }
        return engine.records.save(r.withVm(null).withVmPaused(false));
    }

    private SandboxRecord powerOff(SandboxRecord r, boolean force) {
        long t = PhaseTimes.start();
        engine.agents.release(r.id());
        if (r.vm() != null) engine.hypervisor(r).stopVM(r.vm(), force);
        PhaseTimes.since(t, r.id(), "vm-stop");
        CrashPoints.reach("stop.vm-stopped");
        for (ContainerRecord c : r.containers()) {
            if (r.vm() != null) engine.sharer.unmountAllUnder(r.id(), java.nio.file.Path.of(r.vm().hostSharedDir(), c.id()));
        }
        return engine.records.save(r.withVm(null).withVmPaused(false).moveTo(SandboxState.STOPPED, "stop"));
    }

    /**
     * Stops the sandbox's VM from its saved record, or, when a crash came between the VM's start and the record's
     * save, whatever the hypervisor left in the sandbox's run directory.
     */
    private void stopAnyVm(SandboxRecord r) {
        Hypervisor hv = engine.hypervisor(r);
        if (r.vm() != null) hv.stopVM(r.vm(), true);
        else hv.cleanup(engine.paths.vmRunDir(r.id()));
    }

    private void destroyFiles(SandboxRecord r) {
        engine.sharer.unmountAllUnder(r.id(), engine.paths.sandbox(r.id()));
        if (r.vm() != null) engine.sharer.unmountAllUnder(r.id(), java.nio.file.Path.of(r.vm().hostSharedDir()));
        RootfsSharer.deleteTree(engine.paths.sandbox(r.id()));
    }

    /**
     * Copies the {@code *.log} files of the VM's run directory (the mock's agent.log, QEMU's qemu.log and console.log)
     * to {@link SandboxPaths#failedLogs} before the undo removes the sandbox's directory: why an agent died at start
     * stays readable. Best effort: a copy that fails is logged, never hides the failure being undone.
     */
    private void keepLogs(SandboxRecord r) {
        Path vmDir = r.vm() != null ? Path.of(r.vm().runDir()) : engine.paths.vmRunDir(r.id());
        if (!Files.isDirectory(vmDir)) return;
        Path kept = engine.paths.failedLogs(r.id());
        try (var logs = Files.list(vmDir)) {
            for (Path log : logs.filter(f -> f.getFileName().toString().endsWith(".log") && Files.isRegularFile(f)).toList()) {
                Files.createDirectories(kept);
                Files.copy(log, kept.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
            if (Files.isDirectory(kept)) LOG.log(Level.INFO, "the logs of sandbox " + r.id() + " that failed to start are kept in " + kept);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "cannot keep the logs of sandbox " + r.id() + " in " + kept + ": " + e.getMessage());
        }
    }

    private void rollback(SandboxRecord r, RuntimeException cause) {
        LOG.log(Level.INFO, "creating sandbox " + r.id() + " failed, undoing: " + cause.getMessage());
        try {
            SandboxRecord latest = engine.records.find(r.id()).orElse(r);
            engine.agents.release(r.id());
            stopAnyVm(latest);
            keepLogs(latest);
            destroyFiles(latest);
            engine.records.delete(r.id());
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
            LOG.log(Level.WARNING, "undoing sandbox " + r.id() + " left state behind; 'vcj delete " + r.id() + "' retries: " + e.getMessage());
        }
    }
}
