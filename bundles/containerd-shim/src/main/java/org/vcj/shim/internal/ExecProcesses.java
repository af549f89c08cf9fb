package org.vcj.shim.internal;

import com.google.protobuf.Empty;

import org.vcj.api.Cmd;
import org.vcj.api.Process;
import org.vcj.api.VC;
import org.vcj.api.VCSandbox;
import org.vcj.shim.proto.EventsProto;
import org.vcj.shim.proto.TaskProto;

/** The exec processes of a task: added by Exec, run in the container by Start. */
final class ExecProcesses {
    private final VC vc;
    private final TaskRegistry tasks;
    private final EventPublisher events;
    private final ProcessWatcher watcher;
    private final ProcessIo io;

    ExecProcesses(VC vc, TaskRegistry tasks, EventPublisher events, ProcessWatcher watcher, ProcessIo io) {
        this.vc = vc;
        this.tasks = tasks;
        this.events = events;
        this.watcher = watcher;
        this.io = io;
    }

    Empty exec(TaskProto.ExecProcessRequest r) {
        ShimContainer c = tasks.task(r.getId());
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
        events.publish(c.namespace(), "/tasks/exec-added", EventsProto.TaskExecAdded.newBuilder().setContainerId(c.id())
                .setExecId(r.getExecId()).build());
        return Empty.getDefaultInstance();
    }

    /** Runs exec {@code p} of task {@code c}. */
    TaskProto.StartResponse start(ShimContainer c, ShimProcess p) {
        if (p.status() != TaskProto.TaskStatus.CREATED) {
            throw new TaskException(TaskException.FAILED_PRECONDITION, "process " + p.name() + " was already started");
        }
        VCSandbox sandbox = vc.fetchSandbox(c.sandboxId());
        Process proc = sandbox.enterContainer(c.id(), p.cmd);
        int pid = TaskLifecycle.pidOf(proc.pid());
        p.started(pid, proc.token(), io.relay(sandbox, p, proc.token()));
        events.publish(c.namespace(), "/tasks/exec-started", EventsProto.TaskExecStarted.newBuilder().setContainerId(c.id())
                .setExecId(p.execId).setPid(pid).build());
        watcher.watchExit(sandbox, c.namespace(), c.id(), p);
        return TaskProto.StartResponse.newBuilder().setPid(p.pid()).build();
    }
}
