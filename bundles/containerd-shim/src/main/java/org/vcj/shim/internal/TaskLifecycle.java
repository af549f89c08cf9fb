package org.vcj.shim.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import com.google.protobuf.Empty;

import org.vcj.api.ContainerConfig;
import org.vcj.api.ContainerState;
import org.vcj.api.NotFoundException;
import org.vcj.api.VC;
import org.vcj.api.VCContainer;
import org.vcj.api.VCSandbox;
import org.vcj.api.VcException;
import org.vcj.shim.proto.EventsProto;
import org.vcj.shim.proto.TaskProto;

/**
 * The life of a task's init process: Create, Start, Delete, Kill, Pause/Resume. A task is a vcj container; a plain
 * task gets a sandbox of its own (sandbox id = task id, {@link PodSandboxes}), a task whose CRI annotations name a pod
 * sandbox joins it. Every state change goes through the VC service, which saves it in the sandbox's record before
 * answering. Kill and Delete right after an exit always succeed, whatever state the container is in (containerd's
 * StopPodSandbox and RemovePodSandbox rely on it): a kill of a process that already ended answers NotFound
 * ("already finished"), as runc's shim does.
 */
final class TaskLifecycle {
    /** How long a failed signal waits for the exit that explains it. */
    private static final Duration EXIT_RACE = Duration.ofSeconds(2);
    private static final System.Logger LOG = System.getLogger(TaskLifecycle.class.getName());

    private final VC vc;
    private final TaskRegistry tasks;
    private final TaskSettings defaults;
    private final EventPublisher events;
    private final ProcessWatcher watcher;
    private final ProcessIo io;
    private final PodSandboxes sandboxes;

    TaskLifecycle(VC vc, TaskRegistry tasks, TaskSettings defaults, EventPublisher events, ProcessWatcher watcher, ProcessIo io) {
        this.vc = vc;
        this.tasks = tasks;
        this.defaults = defaults;
        this.events = events;
        this.watcher = watcher;
        this.io = io;
        this.sandboxes = new PodSandboxes(vc);
    }

    TaskProto.CreateTaskResponse create(String namespace, TaskProto.CreateTaskRequest r) {
        String id = r.getId();
        if (tasks.contains(id)) throw new TaskException(TaskException.ALREADY_EXISTS, "task " + id + " already exists in this vcj shim service");
        if (!r.getCheckpoint().isEmpty()) {
            throw new TaskException(TaskException.UNIMPLEMENTED, "task " + id + ": restoring from a checkpoint is not supported by vcj");
        }
        if (r.getBundle().isEmpty()) throw new TaskException(TaskException.INVALID_ARGUMENT, "task " + id + " has no bundle");
        Path bundle = Path.of(r.getBundle());
        OciSpec spec = OciSpec.read(bundle);
        String joined = spec.joinedSandbox();
        TaskSettings settings = defaults.forBundle(bundle);
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
            container = joined != null ? vc.createContainer(joined, config)
                    : sandboxes.create(id, namespace, spec, settings, config).createContainer(config);
        } catch (RuntimeException e) {
            if (joined == null) deleteQuietly(id);
            RootfsMount.unmount(bundle);
            throw e;
        }
        ShimProcess init = new ShimProcess(id, "", r.getStdin(), r.getStdout(), r.getStderr(), r.getTerminal(), null);
        init.created(pidOf(container.getPid()), id);
        tasks.add(new ShimContainer(id, namespace, sandboxId, joined == null, bundle, init));
        if (joined == null) watcher.watchOom(namespace, sandboxId);
        LOG.log(System.Logger.Level.INFO, "task " + namespace + "/" + id + " created in sandbox " + sandboxId);
        events.publish(namespace, "/tasks/create", EventsProto.TaskCreate.newBuilder().setContainerId(id).setBundle(bundle.toString())
                .addAllRootfs(r.getRootfsList()).setPid(init.pid())
                .setIo(EventsProto.TaskIO.newBuilder().setStdin(r.getStdin()).setStdout(r.getStdout())
                        .setStderr(r.getStderr()).setTerminal(r.getTerminal())).build());
        return TaskProto.CreateTaskResponse.newBuilder().setPid(init.pid()).build();
    }

    /** Starts the init process (an exec's start is {@link ExecProcesses#start}). */
    TaskProto.StartResponse start(ShimContainer c) {
        ShimProcess p = c.init();
        if (p.status() != TaskProto.TaskStatus.CREATED) {
            throw new TaskException(TaskException.FAILED_PRECONDITION, "process " + p.name() + " was already started");
        }
        VCSandbox sandbox = vc.fetchSandbox(c.sandboxId());
        VCContainer container = sandbox.startContainer(c.id());
        int pid = pidOf(container.getPid());
        p.started(pid, c.id(), io.relay(sandbox, p, c.id()));
        events.publish(c.namespace(), "/tasks/start", EventsProto.TaskStart.newBuilder().setContainerId(c.id()).setPid(pid).build());
        watcher.watchExit(sandbox, c.namespace(), c.id(), p);
        return TaskProto.StartResponse.newBuilder().setPid(p.pid()).build();
    }

    TaskProto.DeleteResponse delete(TaskProto.DeleteRequest r) {
        ShimContainer c = tasks.task(r.getId());
        ShimProcess p = TaskRegistry.process(c, r.getExecId());
        TaskProto.TaskStatus s = p.status();
        if (s == TaskProto.TaskStatus.RUNNING || s == TaskProto.TaskStatus.PAUSED) {
            throw new TaskException(TaskException.FAILED_PRECONDITION, "process " + p.name() + " is " + s + "; kill it before deleting it");
        }
        Instant at = p.hasExited() ? p.exitedAt() : Instant.now();
        if (!p.isInit()) {
            c.execs().remove(p.execId);
        } else {
            remove(c);
        }
        events.publish(c.namespace(), "/tasks/delete", EventsProto.TaskDelete.newBuilder().setContainerId(c.id()).setPid(p.pid())
                .setExitStatus(p.exitStatus()).setExitedAt(ProtoTime.ts(at)).setId(p.execId).build());
        return TaskProto.DeleteResponse.newBuilder().setPid(p.pid()).setExitStatus(p.exitStatus()).setExitedAt(ProtoTime.ts(at)).build();
    }

    /** Removes task {@code c} and what vcj made for it: its sandbox, or its container in the pod's; its rootfs mount. */
    void remove(ShimContainer c) {
        try {
            if (c.ownsSandbox()) vc.deleteSandbox(c.sandboxId());
            else removeContainer(c);
        } catch (NotFoundException gone) {
            LOG.log(System.Logger.Level.DEBUG, "task " + c.id() + ": already gone: " + gone.getMessage());
        }
        RootfsMount.unmount(c.bundle());
        tasks.remove(c.id());
        LOG.log(System.Logger.Level.INFO, "task " + c.namespace() + "/" + c.id() + " deleted");
    }

    /** Removes a container that joined a pod sandbox, stopping it first when the VC still has it running. */
    private void removeContainer(ShimContainer c) {
        VCSandbox sandbox = vc.fetchSandbox(c.sandboxId());
        ContainerState state = sandbox.statusContainer(c.id()).state();
        if (state != ContainerState.STOPPED && state != ContainerState.READY) {
            try {
                sandbox.stopContainer(c.id(), true);
            } catch (VcException e) {
                // it stopped on its own in between (its exit was being recorded): what Delete wants anyway
                if (sandbox.statusContainer(c.id()).state() != ContainerState.STOPPED) throw e;
            }
        }
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

    Empty kill(TaskProto.KillRequest r) throws InterruptedException {
        ShimContainer c = tasks.task(r.getId());
        ShimProcess p = TaskRegistry.process(c, r.getExecId());
        if (p.hasExited()) throw finished(p);
        if (p.status() == TaskProto.TaskStatus.CREATED) {
            // never started: nothing runs to signal; it ends here, as runc's shim ends a created process it kills
            p.exited(128 + (int) r.getSignal(), Instant.now());
            events.publish(c.namespace(), "/tasks/exit", EventsProto.TaskExit.newBuilder().setContainerId(c.id())
                    .setId(p.isInit() ? c.id() : p.execId).setPid(p.pid()).setExitStatus(p.exitStatus())
                    .setExitedAt(ProtoTime.ts(p.exitedAt())).build());
            return Empty.getDefaultInstance();
        }
        VCSandbox sandbox = vc.fetchSandbox(c.sandboxId());
        try {
            if (p.isInit()) sandbox.killContainer(c.id(), (int) r.getSignal(), r.getAll());
            else sandbox.signalProcess(c.id(), p.agentId(), (int) r.getSignal(), false);
        } catch (VcException e) {
            // the process ended between containerd's look and the signal (the agent or the state gate said so):
            // once its exit is recorded, the kill found nothing to signal
            if (p.awaitExit(EXIT_RACE)) throw finished(p);
            if (p.isInit() && sandbox.statusContainer(c.id()).state() == ContainerState.STOPPED) throw finished(p);
            throw e;
        }
        return Empty.getDefaultInstance();
    }

    private static TaskException finished(ShimProcess p) {
        return new TaskException(TaskException.NOT_FOUND, "process " + p.name() + " already finished");
    }

    Empty pause(String id, boolean pause) {
        ShimContainer c = tasks.task(id);
        VCSandbox sandbox = vc.fetchSandbox(c.sandboxId());
        if (pause) {
            sandbox.pauseContainer(c.id());
            c.init().status(TaskProto.TaskStatus.PAUSED);
            events.publish(c.namespace(), "/tasks/paused", EventsProto.TaskPaused.newBuilder().setContainerId(c.id()).build());
        } else {
            sandbox.resumeContainer(c.id());
            c.init().status(TaskProto.TaskStatus.RUNNING);
            events.publish(c.namespace(), "/tasks/resumed", EventsProto.TaskResumed.newBuilder().setContainerId(c.id()).build());
        }
        return Empty.getDefaultInstance();
    }

    /** containerd wants a non-zero pid: a process the agent reports without one gets the shim's. */
    static int pidOf(int pid) {
        return pid > 0 ? pid : (int) ProcessHandle.current().pid();
    }
}
