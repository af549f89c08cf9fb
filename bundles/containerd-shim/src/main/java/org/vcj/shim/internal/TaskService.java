package org.vcj.shim.internal;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.google.protobuf.Empty;
import com.google.protobuf.Timestamp;

import org.vcj.api.Cmd;
import org.vcj.api.ContainerConfig;
import org.vcj.api.ContainerState;
import org.vcj.api.HypervisorType;
import org.vcj.api.NotFoundException;
import org.vcj.api.Process;
import org.vcj.api.Resources;
import org.vcj.api.SandboxConfig;
import org.vcj.api.VC;
import org.vcj.api.VCContainer;
import org.vcj.api.VCSandbox;
import org.vcj.shim.proto.EventsProto;
import org.vcj.shim.proto.TaskProto;

/**
 * containerd's Task service ({@code containerd.task.v2.Task}) over the VC service. A task is a vcj container; a
 * plain task gets a sandbox of its own (sandbox id = task id), a task whose CRI annotations name a pod sandbox joins
 * it. Every state change goes through the VC service, which saves it in the sandbox's record before answering.
 */
final class TaskService {
    static final String SERVICE = "containerd.task.v2.Task";
    /** Annotation on sandboxes made by the shim: the containerd namespace. */
    static final String NAMESPACE_ANNOTATION = "org.vcj.containerd.namespace";
    private static final String CREATED_ANNOTATION = "org.vcj.shell.created";
    private static final System.Logger LOG = System.getLogger(TaskService.class.getName());

    private final VC vc;
    private final ShimSettings settings;
    private final EventPublisher events;
    private final Runnable onShutdown;
    private final ProcessWatcher watcher;
    private final Map<String, ShimContainer> tasks = new ConcurrentHashMap<>();
    private final ExecutorService waiters = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "vcj-shim-wait");
        t.setDaemon(true);
        return t;
    });

    TaskService(VC vc, ShimSettings settings, EventPublisher events, Runnable onShutdown) {
        this.vc = vc;
        this.settings = settings;
        this.events = events;
        this.onShutdown = onShutdown;
        this.watcher = new ProcessWatcher(vc, events, sandboxId -> tasks.values().stream().anyMatch(c -> c.sandboxId().equals(sandboxId)));
    }

    // --- Create / Start ---

    TaskProto.CreateTaskResponse create(TaskProto.CreateTaskRequest r) {
        String id = r.getId();
        if (tasks.containsKey(id)) throw new TaskException(TaskException.ALREADY_EXISTS, "task " + id + " already exists in this shim");
        if (!r.getCheckpoint().isEmpty()) {
            throw new TaskException(TaskException.UNIMPLEMENTED, "task " + id + ": restoring from a checkpoint is not supported by vcj");
        }
        Path bundle = Path.of(r.getBundle().isEmpty() ? settings.bundle().toString() : r.getBundle());
        OciSpec spec = OciSpec.read(bundle);
        String joined = spec.joinedSandbox();
        Path rootfs = RootfsMount.mount(bundle, r.getRootfsList());
        ContainerConfig config;
        try {
            config = spec.container(id, rootfs.toAbsolutePath());
            if (r.getTerminal() && !config.cmd().terminal()) {
                config = config.toBuilder().cmd(config.cmd().toBuilder().console("tty").build()).build();
            }
        } catch (RuntimeException e) {
            RootfsMount.unmount(bundle);
            throw e;
        }
        String sandboxId = joined != null ? joined : id;
        VCContainer container;
        try {
            container = joined != null ? vc.createContainer(joined, config) : ownSandbox(id, config).createContainer(config);
        } catch (RuntimeException e) {
            if (joined == null) deleteQuietly(id);
            RootfsMount.unmount(bundle);
            throw e;
        }
        ShimProcess init = new ShimProcess(id, "", r.getStdin(), r.getStdout(), r.getStderr(), r.getTerminal(), null);
        init.created(pidOf(container.getPid()), id);
        tasks.put(id, new ShimContainer(id, sandboxId, joined == null, bundle, init));
        if (joined == null) waiters.execute(() -> watcher.oom(sandboxId));
        LOG.log(System.Logger.Level.INFO, "task " + id + " created in sandbox " + sandboxId);
        events.publish("/tasks/create", EventsProto.TaskCreate.newBuilder().setContainerId(id).setBundle(bundle.toString())
                .addAllRootfs(r.getRootfsList()).setPid(init.pid())
                .setIo(EventsProto.TaskIO.newBuilder().setStdin(r.getStdin()).setStdout(r.getStdout())
                        .setStderr(r.getStderr()).setTerminal(r.getTerminal())).build());
        return TaskProto.CreateTaskResponse.newBuilder().setPid(init.pid()).build();
    }

    /** A running sandbox of its own for task {@code id}, with the hypervisor and factory of the settings. */
    private VCSandbox ownSandbox(String id, ContainerConfig first) {
        SandboxConfig config = SandboxConfig.builder(id)
                .hypervisorType(new HypervisorType(settings.hypervisor()))
                .vmConfig(new Resources(settings.vcpus(), settings.memory()))
                .annotations(Map.of(CREATED_ANNOTATION, Instant.now().toString(), NAMESPACE_ANNOTATION, settings.namespace()))
                .build();
        VCSandbox s = settings.factory() == null ? vc.createSandbox(config) : vc.createSandbox(config, settings.factory());
        s.start();
        return s;
    }

    TaskProto.StartResponse start(TaskProto.StartRequest r) {
        ShimContainer c = task(r.getId());
        ShimProcess p = process(c, r.getExecId());
        if (p.status() != TaskProto.TaskStatus.CREATED) {
            throw new TaskException(TaskException.FAILED_PRECONDITION, "process " + name(p) + " was already started");
        }
        VCSandbox sandbox = vc.fetchSandbox(c.sandboxId());
        if (p.isInit()) {
            VCContainer container = sandbox.startContainer(c.id());
            int pid = pidOf(container.getPid());
            p.started(pid, c.id(), relay(sandbox, p, c.id()));
            events.publish("/tasks/start", EventsProto.TaskStart.newBuilder().setContainerId(c.id()).setPid(pid).build());
        } else {
            Process proc = sandbox.enterContainer(c.id(), p.cmd);
            int pid = pidOf(proc.pid());
            p.started(pid, proc.token(), relay(sandbox, p, proc.token()));
            events.publish("/tasks/exec-started", EventsProto.TaskExecStarted.newBuilder().setContainerId(c.id())
                    .setExecId(p.execId).setPid(pid).build());
        }
        waiters.execute(() -> watcher.exit(sandbox, c.id(), p));
        return TaskProto.StartResponse.newBuilder().setPid(p.pid()).build();
    }

    private FifoRelay relay(VCSandbox sandbox, ShimProcess p, String agentId) {
        return FifoRelay.start(sandbox.ioStream(p.containerId, agentId), p.stdin, p.stdout, p.terminal ? "" : p.stderr,
                "vcj-shim-" + p.containerId + (p.isInit() ? "" : "-" + p.execId));
    }

    // --- Exec ---

    Empty exec(TaskProto.ExecProcessRequest r) {
        ShimContainer c = task(r.getId());
        if (r.getExecId().isEmpty()) throw new TaskException(TaskException.INVALID_ARGUMENT, "an exec needs an exec id");
        if (c.init().status() != TaskProto.TaskStatus.RUNNING) {
            throw new TaskException(TaskException.FAILED_PRECONDITION, "task " + c.id() + " is " + c.init().status()
                    + ", not RUNNING: cannot exec in it");
        }
        Cmd cmd = OciSpec.process(r.getSpec().getValue().toByteArray(), r.getTerminal());
        ShimProcess p = new ShimProcess(c.id(), r.getExecId(), r.getStdin(), r.getStdout(), r.getStderr(), r.getTerminal(), cmd);
        if (c.execs().putIfAbsent(r.getExecId(), p) != null) {
            throw new TaskException(TaskException.ALREADY_EXISTS, "exec " + r.getExecId() + " already exists in task " + c.id());
        }
        events.publish("/tasks/exec-added", EventsProto.TaskExecAdded.newBuilder().setContainerId(c.id()).setExecId(r.getExecId()).build());
        return Empty.getDefaultInstance();
    }

    // --- Wait / State ---

    TaskProto.WaitResponse await(TaskProto.WaitRequest r) throws InterruptedException {
        ShimProcess p = process(task(r.getId()), r.getExecId());
        p.awaitExit();
        return TaskProto.WaitResponse.newBuilder().setExitStatus(p.exitStatus()).setExitedAt(ts(p.exitedAt())).build();
    }

    TaskProto.StateResponse state(TaskProto.StateRequest r) {
        ShimContainer c = task(r.getId());
        ShimProcess p = process(c, r.getExecId());
        TaskProto.StateResponse.Builder b = TaskProto.StateResponse.newBuilder().setId(p.isInit() ? c.id() : p.execId)
                .setBundle(c.bundle().toString()).setPid(p.pid()).setStatus(p.status()).setStdin(p.stdin)
                .setStdout(p.stdout).setStderr(p.stderr).setTerminal(p.terminal).setExecId(p.execId);
        if (p.hasExited()) b.setExitStatus(p.exitStatus()).setExitedAt(ts(p.exitedAt()));
        return b.build();
    }

    // --- Delete ---

    TaskProto.DeleteResponse delete(TaskProto.DeleteRequest r) {
        ShimContainer c = task(r.getId());
        ShimProcess p = process(c, r.getExecId());
        TaskProto.TaskStatus s = p.status();
        if (s == TaskProto.TaskStatus.RUNNING || s == TaskProto.TaskStatus.PAUSED) {
            throw new TaskException(TaskException.FAILED_PRECONDITION, "process " + name(p) + " is " + s + "; kill it before deleting it");
        }
        Instant at = p.hasExited() ? p.exitedAt() : Instant.now();
        if (!p.isInit()) {
            c.execs().remove(p.execId);
        } else {
            if (c.ownsSandbox()) {
                vc.deleteSandbox(c.sandboxId());
            } else {
                removeContainer(c);
            }
            RootfsMount.unmount(c.bundle());
            tasks.remove(c.id());
            LOG.log(System.Logger.Level.INFO, "task " + c.id() + " deleted");
        }
        events.publish("/tasks/delete", EventsProto.TaskDelete.newBuilder().setContainerId(c.id()).setPid(p.pid())
                .setExitStatus(p.exitStatus()).setExitedAt(ts(at)).setId(p.execId).build());
        return TaskProto.DeleteResponse.newBuilder().setPid(p.pid()).setExitStatus(p.exitStatus()).setExitedAt(ts(at)).build();
    }

    /** Removes a container that joined a pod sandbox (stopping it first when the VC still has it running). */
    private void removeContainer(ShimContainer c) {
        VCSandbox sandbox = vc.fetchSandbox(c.sandboxId());
        ContainerState state = sandbox.statusContainer(c.id()).state();
        if (state != ContainerState.STOPPED && state != ContainerState.READY) sandbox.stopContainer(c.id(), true);
        sandbox.deleteContainer(c.id());
    }

    private void deleteQuietly(String sandboxId) {
        try {
            vc.deleteSandbox(sandboxId);
        } catch (NotFoundException gone) {
            // nothing was made
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot remove sandbox " + sandboxId + " after a failed create; `vcj cleanup` removes it", e);
        }
    }

    // --- Kill / signals / IO ---

    Empty kill(TaskProto.KillRequest r) {
        ShimContainer c = task(r.getId());
        ShimProcess p = process(c, r.getExecId());
        if (p.hasExited()) throw new TaskException(TaskException.NOT_FOUND, "process " + name(p) + " already finished");
        if (p.status() == TaskProto.TaskStatus.CREATED) {
            throw new TaskException(TaskException.FAILED_PRECONDITION, "process " + name(p) + " was never started: delete it instead");
        }
        VCSandbox sandbox = vc.fetchSandbox(c.sandboxId());
        if (p.isInit()) sandbox.killContainer(c.id(), (int) r.getSignal(), r.getAll());
        else sandbox.signalProcess(c.id(), p.agentId(), (int) r.getSignal(), false);
        return Empty.getDefaultInstance();
    }

    Empty resize(TaskProto.ResizePtyRequest r) {
        ShimContainer c = task(r.getId());
        ShimProcess p = process(c, r.getExecId());
        if (!p.terminal) throw new TaskException(TaskException.FAILED_PRECONDITION, "process " + name(p) + " has no terminal");
        if (p.agentId() == null || p.hasExited()) return Empty.getDefaultInstance();
        try {
            vc.fetchSandbox(c.sandboxId()).winsizeProcess(c.id(), p.agentId(), (int) r.getHeight(), (int) r.getWidth());
        } catch (org.vcj.api.AgentException e) {
            // the process ended between the check and the call (its exit is not recorded yet): a closed terminal has no size
            LOG.log(System.Logger.Level.INFO, "resize of " + name(p) + " not done: " + e.getMessage());
        }
        return Empty.getDefaultInstance();
    }

    Empty closeIO(TaskProto.CloseIORequest r) {
        ShimProcess p = process(task(r.getId()), r.getExecId());
        if (r.getStdin() && p.relay() != null) p.relay().closeIO();
        return Empty.getDefaultInstance();
    }

    // --- Pids / Pause / Stats / Update ---

    TaskProto.PidsResponse pids(TaskProto.PidsRequest r) {
        ShimContainer c = task(r.getId());
        List<Integer> pids = new ArrayList<>();
        if (c.init().status() == TaskProto.TaskStatus.RUNNING || c.init().status() == TaskProto.TaskStatus.PAUSED) {
            pids.addAll(ProcessListJson.pids(vc.processListContainer(c.sandboxId(), c.id(),
                    new org.vcj.api.ProcessListOptions("json", List.of())).output()));
        }
        TaskProto.PidsResponse.Builder b = TaskProto.PidsResponse.newBuilder();
        for (int pid : pids) b.addProcesses(TaskProto.ProcessInfo.newBuilder().setPid(pid));
        return b.build();
    }

    Empty pause(String id, boolean pause) {
        ShimContainer c = task(id);
        VCSandbox sandbox = vc.fetchSandbox(c.sandboxId());
        if (pause) {
            sandbox.pauseContainer(c.id());
            c.init().status(TaskProto.TaskStatus.PAUSED);
            events.publish("/tasks/paused", EventsProto.TaskPaused.newBuilder().setContainerId(c.id()).build());
        } else {
            sandbox.resumeContainer(c.id());
            c.init().status(TaskProto.TaskStatus.RUNNING);
            events.publish("/tasks/resumed", EventsProto.TaskResumed.newBuilder().setContainerId(c.id()).build());
        }
        return Empty.getDefaultInstance();
    }

    TaskProto.StatsResponse stats(TaskProto.StatsRequest r) {
        ShimContainer c = task(r.getId());
        return TaskProto.StatsResponse.newBuilder()
                .setStats(MetricsMapper.toAny(vc.fetchSandbox(c.sandboxId()).statsContainer(c.id()))).build();
    }

    Empty update(TaskProto.UpdateTaskRequest r) {
        ShimContainer c = task(r.getId());
        if (!r.hasResources()) return Empty.getDefaultInstance();
        vc.fetchSandbox(c.sandboxId()).updateContainer(c.id(), OciSpec.resources(r.getResources().getValue().toByteArray()));
        return Empty.getDefaultInstance();
    }

    // --- Connect / Shutdown ---

    TaskProto.ConnectResponse connect(TaskProto.ConnectRequest r) {
        ShimContainer c = tasks.get(r.getId());
        return TaskProto.ConnectResponse.newBuilder().setShimPid((int) ProcessHandle.current().pid())
                .setTaskPid(c == null ? 0 : c.init().pid()).setVersion("vcj").build();
    }

    Empty shutdown(TaskProto.ShutdownRequest r) {
        if (r.getNow() || tasks.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "shim shutting down (" + (r.getNow() ? "now" : "no tasks left") + ")");
            onShutdown.run();
        }
        return Empty.getDefaultInstance();
    }

    // --- helpers ---

    private ShimContainer task(String id) {
        ShimContainer c = tasks.get(id);
        if (c == null) throw new TaskException(TaskException.NOT_FOUND, "task " + id + " not found in this shim");
        return c;
    }

    private static ShimProcess process(ShimContainer c, String execId) {
        if (execId == null || execId.isEmpty()) return c.init();
        ShimProcess p = c.execs().get(execId);
        if (p == null) throw new TaskException(TaskException.NOT_FOUND, "exec " + execId + " not found in task " + c.id());
        return p;
    }

    static String name(ShimProcess p) {
        return p.isInit() ? p.containerId : p.containerId + "/" + p.execId;
    }

    /** containerd wants a non-zero pid: a process the agent reports without one gets the shim's. */
    private static int pidOf(int pid) {
        return pid > 0 ? pid : (int) ProcessHandle.current().pid();
    }

    static Timestamp ts(Instant at) {
        return Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()).build();
    }

    /** Tasks still served (for Shutdown and tests). */
    boolean isEmpty() {
        return tasks.isEmpty();
    }

    void close() {
        waiters.shutdownNow();
    }
}
