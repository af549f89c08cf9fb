package org.vcj.core.internal;

import java.time.Duration;
import java.util.Arrays;
import java.util.OptionalInt;

import org.vcj.api.AgentException;
import org.vcj.api.AlreadyExistsException;
import org.vcj.api.ContainerConfig;
import org.vcj.api.ContainerState;
import org.vcj.api.InvalidStateException;
import org.vcj.api.Process;
import org.vcj.api.SandboxState;
import org.vcj.api.agent.Agent;
import org.vcj.core.internal.SandboxRecord.ContainerRecord;

/**
 * Container state changes inside a sandbox. Callers hold the sandbox lock and pass the current record; each
 * method saves every state change before it returns the new record.
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
        requireSandbox(r, "create container", SandboxState.CREATING, SandboxState.READY, SandboxState.RUNNING);
        if (r.container(cc.id()).isPresent()) throw new AlreadyExistsException("container", cc.id());
        r = engine.records.save(r.withContainer(ContainerRecord.creating(cc)));
        CrashPoints.reach("container.record-saved");
        ContainerConfig guest = engine.sharer.share(r.id(), r.vm(), cc);
        CrashPoints.reach("container.rootfs-shared");
        engine.agents.of(r).createContainer(guest);
        CrashPoints.reach("container.agent-created");
        return engine.records.save(r.withContainer(r.requireContainer(cc.id()).withState(ContainerState.READY)));
    }

    SandboxRecord start(SandboxRecord r, String cid) {
        requireSandbox(r, "start container", SandboxState.READY, SandboxState.RUNNING);
        ContainerRecord c = require(r, cid, "start", ContainerState.READY);
        Process p = engine.agents.of(r).startContainer(cid);
        CrashPoints.reach("container.started");
        return engine.records.save(r.withContainer(c.started(p.pid(), p.startTime() == null
                ? System.currentTimeMillis() : p.startTime().toEpochMilli())));
    }

    /** Stops the main process: SIGTERM (SIGKILL when forced), then SIGKILL after a grace period. */
    SandboxRecord stop(SandboxRecord r, String cid, boolean force) {
        ContainerRecord c = r.requireContainer(cid);
        if (c.state() == ContainerState.STOPPED) return r;
        if (c.state() == ContainerState.READY || c.state() == ContainerState.CREATING) {
            return engine.records.save(r.withContainer(c.withState(ContainerState.STOPPED)));
        }
        Agent agent = engine.agents.of(r);
        OptionalInt code = agent.waitProcess(cid, cid, Duration.ZERO);
        if (code.isPresent()) return engine.records.save(r.withContainer(c.exited(code.getAsInt())));
        if (c.state() == ContainerState.PAUSED) agent.resumeContainer(cid);
        signalUnlessExited(agent, cid, force ? SIGKILL : SIGTERM);
        CrashPoints.reach("stop.container-signalled");
        code = agent.waitProcess(cid, cid, STOP_GRACE);
        if (code.isEmpty()) {
            signalUnlessExited(agent, cid, SIGKILL);
            code = agent.waitProcess(cid, cid, STOP_GRACE);
        }
        return engine.records.save(r.withContainer(c.exited(code.orElse(128 + SIGKILL))));
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
        ContainerRecord c = require(r, cid, "delete", ContainerState.READY, ContainerState.STOPPED, ContainerState.CREATING);
        if (r.vm() != null && r.state() != SandboxState.STOPPED) {
            engine.agents.of(r).removeContainer(cid, STOP_GRACE);
        }
        engine.sharer.unshare(r.id(), r.vm(), c.id());
        return engine.records.save(r.withoutContainer(cid));
    }

    SandboxRecord pause(SandboxRecord r, String cid) {
        ContainerRecord c = require(r, cid, "pause", ContainerState.RUNNING);
        engine.agents.of(r).pauseContainer(cid);
        return engine.records.save(r.withContainer(c.withState(ContainerState.PAUSED)));
    }

    SandboxRecord resume(SandboxRecord r, String cid) {
        ContainerRecord c = require(r, cid, "resume", ContainerState.PAUSED);
        engine.agents.of(r).resumeContainer(cid);
        return engine.records.save(r.withContainer(c.withState(ContainerState.RUNNING)));
    }

    /** Asks the agent whether running containers have exited; saves those that did. */
    SandboxRecord refresh(SandboxRecord r) {
        if (r.vm() == null || (r.state() != SandboxState.RUNNING && r.state() != SandboxState.PAUSED)) return r;
        for (ContainerRecord c : r.containers()) {
            if (c.state() != ContainerState.RUNNING) continue;
            OptionalInt code = engine.agents.of(r).waitProcess(c.id(), c.id(), Duration.ZERO);
            if (code.isPresent()) r = engine.records.save(r.withContainer(c.exited(code.getAsInt())));
        }
        return r;
    }

    static ContainerRecord require(SandboxRecord r, String cid, String operation, ContainerState... allowed) {
        ContainerRecord c = r.requireContainer(cid);
        if (Arrays.asList(allowed).contains(c.state())) return c;
        throw new InvalidStateException("container", cid, c.state().toString(), operation, Arrays.toString(allowed));
    }

    static void requireSandbox(SandboxRecord r, String operation, SandboxState... allowed) {
        if (!Arrays.asList(allowed).contains(r.state())) {
            throw new InvalidStateException("sandbox", r.id(), r.state().toString(), operation, Arrays.toString(allowed));
        }
    }
}
