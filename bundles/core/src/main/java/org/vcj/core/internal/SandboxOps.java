package org.vcj.core.internal;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import org.vcj.api.AgentException;
import org.vcj.api.Cmd;
import org.vcj.api.ContainerConfig;
import org.vcj.api.ContainerState;
import org.vcj.api.Identifiers;
import org.vcj.api.InvalidConfigException;
import org.vcj.api.Process;
import org.vcj.api.ProcessList;
import org.vcj.api.ProcessListOptions;
import org.vcj.api.SandboxConfig;
import org.vcj.api.SandboxState;
import org.vcj.api.SandboxStatus;
import org.vcj.api.VcException;
import org.vcj.api.agent.Agent;
import org.vcj.core.internal.SandboxRecord.ContainerRecord;

/**
 * Every sandbox and container operation by id. Changes run under the sandbox's lock on a freshly loaded record,
 * so that several JVMs can work on the same root; reads work on the latest saved record.
 */
final class SandboxOps {

    private static final System.Logger LOG = System.getLogger(SandboxOps.class.getName());

    final Engine engine;
    final ContainerLifecycle containers;
    final SandboxLifecycle sandboxes;
    final StatusView status;
    final SandboxDevices devices;

    SandboxOps(Engine engine) {
        this.engine = engine;
        this.containers = new ContainerLifecycle(engine);
        this.sandboxes = new SandboxLifecycle(engine, containers);
        this.status = new StatusView(engine);
        this.devices = new SandboxDevices(engine);
    }

    SandboxHandle handle(String sandboxId) {
        return new SandboxHandle(this, sandboxId);
    }

    SandboxHandle create(SandboxConfig config, String factory, boolean start) {
        HostPathGuard.requireContainerRootfs(config);
        HostPathGuard.requireWritableRoot(engine.paths.root());
        engine.locked(config.id(), id -> {
            SandboxRecord r = sandboxes.create(config, factory);
            return start ? sandboxes.start(r) : r;
        });
        return handle(config.id());
    }

    /** Applies a change to the sandbox's latest record under its lock. */
    SandboxRecord change(String sandboxId, UnaryOperator<SandboxRecord> op) {
        Identifiers.requireValid("sandbox id", sandboxId);
        return engine.locked(sandboxId, id -> op.apply(engine.records.load(id)));
    }

    SandboxRecord load(String sandboxId) {
        Identifiers.requireValid("sandbox id", sandboxId);
        return engine.records.load(sandboxId);
    }

    void delete(String sandboxId) {
        change(sandboxId, r -> {
            sandboxes.delete(r);
            return r;
        });
    }

    SandboxStatus statusSandbox(String sandboxId) {
        SandboxRecord r = settled(load(sandboxId));
        if (r.state() == SandboxState.RUNNING || r.state() == SandboxState.PAUSED) {
            try {
                r = change(sandboxId, containers::refresh);
            } catch (VcException e) {
                LOG.log(Level.DEBUG, "cannot refresh containers of " + sandboxId + ": " + e.getMessage());
            }
        }
        return status.sandbox(r);
    }

    List<SandboxStatus> list() {
        return engine.records.all().stream().map(this::settled).map(status::sandbox).toList();
    }

    /**
     * The record as the gate must see it: a ready, running or paused sandbox whose VM is gone (a crash, a kill) is
     * stopped (under its lock, saved) before any status reports it, so that status and every later operation agree
     * that it is STOPPED; it can then be started again or deleted. When that stop fails, the record is reported as
     * it is saved.
     */
    private SandboxRecord settled(SandboxRecord r) {
        boolean live = r.state() == SandboxState.READY || r.state() == SandboxState.RUNNING || r.state() == SandboxState.PAUSED;
        if (!live || r.vm() == null || engine.vmAlive(r)) return r;
        LOG.log(Level.INFO, "the VM of sandbox " + r.id() + " is gone: recording it stopped");
        try {
            return change(r.id(), latest -> sandboxes.stop(latest, true));
        } catch (VcException e) {
            // reported as saved; 'vcj stop --force' or 'vcj delete' retries what failed here
            LOG.log(Level.WARNING, "cannot record sandbox " + r.id() + " stopped: " + e.getMessage());
            return r;
        }
    }

    ContainerRecord container(String sandboxId, String containerId) {
        Identifiers.requireValid("container id", containerId);
        SandboxRecord r = load(sandboxId);
        r.requireContainer(containerId);
        if (r.state() == SandboxState.RUNNING || r.state() == SandboxState.PAUSED) {
            r = change(sandboxId, containers::refresh);
        }
        return r.requireContainer(containerId);
    }

    ContainerConfig validContainer(ContainerConfig config) {
        if (config == null) throw new InvalidConfigException("ContainerConfig", null, "a container configuration is required");
        HostPathGuard.requireContainerRootfs(config);
        return config;
    }

    Process enter(String sandboxId, String containerId, Cmd cmd) {
        if (cmd == null) throw new InvalidConfigException("Cmd", null, "a command is required");
        SandboxRecord r = load(sandboxId);
        StateGate.requireContainer(r, containerId, "enter", ContainerState.RUNNING);
        String execId = "exec-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        CrashPoints.reach("exec.before-agent");
        Process p = engine.agents.of(r).execProcess(containerId, execId, cmd);
        CrashPoints.reach("exec.agent-started");
        return p;
    }

    void kill(String sandboxId, String containerId, int signal, boolean all) {
        if (signal < 1 || signal > 64) {
            throw new InvalidConfigException("signal", Integer.toString(signal), "a signal is a number from 1 to 64");
        }
        SandboxRecord r = load(sandboxId);
        StateGate.requireContainer(r, containerId, "kill", ContainerState.RUNNING, ContainerState.PAUSED);
        engine.agents.of(r).signalProcess(containerId, containerId, signal, all);
    }

    ProcessList ps(String sandboxId, String containerId, ProcessListOptions options) {
        ProcessListOptions o = options == null ? ProcessListOptions.TABLE : options;
        SandboxRecord r = load(sandboxId);
        StateGate.requireContainer(r, containerId, "list processes", ContainerState.RUNNING, ContainerState.PAUSED);
        return new ProcessList(engine.agents.of(r).listProcesses(containerId, o.format(), o.args()));
    }

    /** The agent of a sandbox whose VM runs, for relaying calls. */
    Agent agent(String sandboxId) {
        return agent(sandboxId, r -> { });
    }

    /**
     * The agent of a sandbox whose VM runs, once {@code check} accepted its record (it throws to refuse): one record
     * load for both.
     */
    Agent agent(String sandboxId, Consumer<SandboxRecord> check) {
        SandboxRecord r = load(sandboxId);
        check.accept(r);
        StateGate.requireSandbox(r, "talk to the agent of", SandboxState.READY, SandboxState.RUNNING, SandboxState.PAUSED);
        return engine.agents.of(r);
    }

    /**
     * Waits for a process of a container to exit and returns its code; the exit of the container's main process is
     * recorded with that code (the agent is not asked again).
     */
    int waitProcess(String sandboxId, String containerId, String processId) {
        OptionalInt code = agent(sandboxId, r -> r.requireContainer(containerId))
                .waitProcess(containerId, processId, Duration.ofMillis(-1));
        if (code.isEmpty()) {
            throw new AgentException(sandboxId, "WaitProcess", null, "process " + processId + " did not report an exit", null);
        }
        if (processId.equals(containerId)) change(sandboxId, r -> containers.exited(r, containerId, code.getAsInt()));
        return code.getAsInt();
    }

    /** Merges annotations into the sandbox's configuration: given keys get the given values, the others keep theirs. */
    void addAnnotations(String sandboxId, Map<String, String> add) {
        change(sandboxId, r -> engine.records.save(r.withConfig(
                r.config().withAnnotations(AnnotationMerge.merged(r.config().annotations(), add)))));
    }

    /** The host pids of the sandbox's VM (none without a VM). */
    List<Long> vmPids(SandboxRecord r) {
        return r.vm() == null ? List.of() : engine.hypervisor(r).pids(r.vm());
    }

    /** Closes this JVM's connection to the sandbox's agent (the VM keeps running). */
    void release(String sandboxId) {
        engine.agents.release(sandboxId);
    }

    /** Deletes what a crashed runtime left half-made (CREATING, DELETING); returns their ids. */
    List<String> cleanup() {
        List<String> removed = new ArrayList<>();
        for (SandboxRecord r : engine.records.all()) {
            if (r.state() != SandboxState.CREATING && r.state() != SandboxState.DELETING) continue;
            try {
                delete(r.id());
                removed.add(r.id());
            } catch (VcException e) {
                LOG.log(Level.WARNING, "cleanup of " + r.id() + " failed: " + e.getMessage());
            }
        }
        engine.agents.releaseAll();
        return removed;
    }
}
