package org.vcj.core.internal;

import java.time.Duration;
import java.util.OptionalInt;

import org.vcj.api.AgentException;
import org.vcj.api.AlreadyExistsException;
import org.vcj.api.ContainerConfig;
import org.vcj.api.ContainerState;
import org.vcj.api.Process;
import org.vcj.api.SandboxState;
import org.vcj.api.agent.Agent;
import org.vcj.core.internal.SandboxRecord.ContainerRecord;

/**
 * Container state changes inside a sandbox. Callers hold the sandbox lock and pass the current record; each
 * method saves every state change before it returns the new record. Every change goes through {@link StateGate}.
 */
final class ContainerLifecycle {

    static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final int SIGTERM = 15;
    private static final int SIGKILL = 9;

    private final Engine engine;

    ContainerLifecycle(Engine engine) {
        this.engine = engine;
    }

    SandboxRecord create(SandboxRecord r, ContainerConfig cc) {
        StateGate.requireSandbox(r, "create container", SandboxState.CREATING, SandboxState.READY, SandboxState.RUNNING);
        if (r.container(cc.id()).isPresent()) throw new AlreadyExistsException("container", cc.id());
        new VmHotplug(engine).validate(r, cc);
        r = engine.records.save(r.withContainer(ContainerRecord.creating(cc)));
        CrashPoints.reach("container.record-saved");
        return materialize(r, cc.id(), "create");
    }

    /** Creates a stopped container again in its sandbox's new VM (restart of a stopped sandbox): STOPPED to READY. */
    SandboxRecord recreate(SandboxRecord r, String cid) {
        StateGate.check(r.requireContainer(cid), ContainerState.READY, "create again");
        return materialize(r, cid, "create again");
    }

    /** Shares the container's rootfs with the VM and has the agent create it; the container becomes READY. */
    private SandboxRecord materialize(SandboxRecord r, String cid, String operation) {
        r = new VmHotplug(engine).plugDisks(r, cid);
        ContainerRecord c = r.requireContainer(cid);
        SandboxRecord sr = r;
        ContainerConfig guest = engine.hypervisor(r).capabilities().isolation()
                ? VolumeMounts.toGuest(r.config().volumes(), c.config(), cc -> engine.sharer.share(sr.id(), sr.vm(), cc))
                : engine.sharer.share(r.id(), r.vm(), c.config());
        CrashPoints.reach("container.rootfs-shared");
        engine.agents.of(r).createContainer(guest);
        CrashPoints.reach("container.agent-created");
        return engine.records.save(r.withContainer(c.moveTo(ContainerState.READY, operation)));
    }

    /** Makes the container run: a ready one is started, a paused one resumed (the table's two ways to RUNNING). */
    SandboxRecord start(SandboxRecord r, String cid) {
        ContainerRecord c = r.requireContainer(cid);
        StateGate.check(c, ContainerState.RUNNING, "start");
        if (c.state() == ContainerState.PAUSED) return resume(r, cid);
        StateGate.requireSandbox(r, "start container", SandboxState.READY, SandboxState.RUNNING);
        Process p = engine.agents.of(r).startContainer(cid);
        CrashPoints.reach("container.started");
        return engine.records.save(r.withContainer(c.started(p.pid(), p.startTime() == null
                ? System.currentTimeMillis() : p.startTime().toEpochMilli(), "start")));
    }

    /**
     * Stops the main process: SIGTERM (SIGKILL when forced), then SIGKILL after a grace period. The exit code is the
     * one the agent reports; when none is reported even after SIGKILL and a second grace period, it is left unknown.
     */
    SandboxRecord stop(SandboxRecord r, String cid, boolean force) {
        ContainerRecord c = r.requireContainer(cid);
        if (c.state() == ContainerState.STOPPED) return r;
        StateGate.check(c, ContainerState.STOPPED, "stop");
        if (c.state() == ContainerState.READY || c.state() == ContainerState.CREATING) {
            return engine.records.save(r.withContainer(c.moveTo(ContainerState.STOPPED, "stop")));
        }
        Agent agent = engine.agents.of(r);
        OptionalInt code = agent.waitProcess(cid, cid, Duration.ZERO);
        if (code.isPresent()) return engine.records.save(r.withContainer(c.exited(code.getAsInt(), "stop")));
        if (c.state() == ContainerState.PAUSED) agent.resumeContainer(cid);
        signalUnlessExited(agent, cid, force ? SIGKILL : SIGTERM);
        CrashPoints.reach("stop.container-signalled");
        code = agent.waitProcess(cid, cid, STOP_GRACE);
        if (code.isEmpty()) {
            signalUnlessExited(agent, cid, SIGKILL);
            code = agent.waitProcess(cid, cid, STOP_GRACE);
        }
        Integer observed = code.isPresent() ? Integer.valueOf(code.getAsInt()) : null;
        return engine.records.save(r.withContainer(c.exited(observed, "stop")));
    }

    /** Signals the container's processes; one that ended meanwhile (the agent says so) needs no signal. */
    private static void signalUnlessExited(Agent agent, String cid, int signal) {
        try {
            agent.signalProcess(cid, cid, signal, true);
        } catch (AgentException e) {
            if (!"FAILED_PRECONDITION".equals(e.remoteCode())) throw e;
        }
    }

    SandboxRecord delete(SandboxRecord r, String cid) {
        ContainerRecord c = StateGate.requireContainer(r, cid, "delete", ContainerState.READY, ContainerState.STOPPED, ContainerState.CREATING);
        if (r.vm() != null && r.state() != SandboxState.STOPPED) {
            engine.agents.of(r).removeContainer(cid, STOP_GRACE);
            new VmHotplug(engine).unplugDisks(r, c);
        }
        engine.sharer.unshare(r.id(), r.vm(), c.id());
        return engine.records.save(r.withoutContainer(cid));
    }

    SandboxRecord pause(SandboxRecord r, String cid) {
        ContainerRecord c = r.requireContainer(cid);
        StateGate.check(c, ContainerState.PAUSED, "pause");
        engine.agents.of(r).pauseContainer(cid);
        return engine.records.save(r.withContainer(c.moveTo(ContainerState.PAUSED, "pause")));
    }

    /** Makes the container run: a paused one is thawed, a ready one started (the table's two ways to RUNNING). */
    SandboxRecord resume(SandboxRecord r, String cid) {
        ContainerRecord c = r.requireContainer(cid);
        StateGate.check(c, ContainerState.RUNNING, "resume");
        if (c.state() == ContainerState.READY) return start(r, cid);
        engine.agents.of(r).resumeContainer(cid);
        return engine.records.save(r.withContainer(c.moveTo(ContainerState.RUNNING, "resume")));
    }

    /** Asks the agent whether running containers have exited; saves those that did. */
    /**
     * Records the exit of a running container's main process with the code its wait returned; a container no longer
     * running (already recorded, or stopped meanwhile) is left as it is.
     */
    SandboxRecord exited(SandboxRecord r, String containerId, int code) {
        ContainerRecord c = r.requireContainer(containerId);
        if (c.state() != ContainerState.RUNNING) return r;
        return engine.records.save(r.withContainer(c.exited(code, "exit")));
    }

    SandboxRecord refresh(SandboxRecord r) {
        if (r.vm() == null || r.vmPaused() || (r.state() != SandboxState.RUNNING && r.state() != SandboxState.PAUSED)) return r;
        for (ContainerRecord c : r.containers()) {
            if (c.state() != ContainerState.RUNNING) continue;
            OptionalInt code = engine.agents.of(r).waitProcess(c.id(), c.id(), Duration.ZERO);
            if (code.isPresent()) r = engine.records.save(r.withContainer(c.exited(code.getAsInt(), "exit")));
        }
        return r;
    }

}
