package org.vcj.shim.internal;

import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.Empty;

import org.vcj.api.ProcessListOptions;
import org.vcj.api.VC;
import org.vcj.shim.proto.TaskProto;

/** What containerd asks of a task and its processes: Wait, State, Pids, Stats, and Update of its resources. */
final class TaskQueries {
    private final VC vc;
    private final TaskRegistry tasks;

    TaskQueries(VC vc, TaskRegistry tasks) {
        this.vc = vc;
        this.tasks = tasks;
    }

    TaskProto.WaitResponse await(TaskProto.WaitRequest r) throws InterruptedException {
        ShimProcess p = TaskRegistry.process(tasks.task(r.getId()), r.getExecId());
        p.awaitExit();
        return TaskProto.WaitResponse.newBuilder().setExitStatus(p.exitStatus()).setExitedAt(ProtoTime.ts(p.exitedAt())).build();
    }

    TaskProto.StateResponse state(TaskProto.StateRequest r) {
        ShimContainer c = tasks.task(r.getId());
        ShimProcess p = TaskRegistry.process(c, r.getExecId());
        TaskProto.StateResponse.Builder b = TaskProto.StateResponse.newBuilder().setId(p.isInit() ? c.id() : p.execId)
                .setBundle(c.bundle().toString()).setPid(p.pid()).setStatus(p.status()).setStdin(p.stdin)
                .setStdout(p.stdout).setStderr(p.stderr).setTerminal(p.terminal).setExecId(p.execId);
        if (p.hasExited()) b.setExitStatus(p.exitStatus()).setExitedAt(ProtoTime.ts(p.exitedAt()));
        return b.build();
    }

    TaskProto.PidsResponse pids(TaskProto.PidsRequest r) {
        ShimContainer c = tasks.task(r.getId());
        List<Integer> pids = new ArrayList<>();
        if (c.init().status() == TaskProto.TaskStatus.RUNNING || c.init().status() == TaskProto.TaskStatus.PAUSED) {
            pids.addAll(ProcessListJson.pids(vc.processListContainer(c.sandboxId(), c.id(),
                    new ProcessListOptions("json", List.of())).output()));
        }
        TaskProto.PidsResponse.Builder b = TaskProto.PidsResponse.newBuilder();
        for (int pid : pids) b.addProcesses(TaskProto.ProcessInfo.newBuilder().setPid(pid));
        return b.build();
    }

    TaskProto.StatsResponse stats(TaskProto.StatsRequest r) {
        ShimContainer c = tasks.task(r.getId());
        return TaskProto.StatsResponse.newBuilder()
                .setStats(MetricsMapper.toAny(vc.fetchSandbox(c.sandboxId()).statsContainer(c.id()))).build();
    }

    Empty update(TaskProto.UpdateTaskRequest r) {
        ShimContainer c = tasks.task(r.getId());
        if (!r.hasResources()) return Empty.getDefaultInstance();
        vc.fetchSandbox(c.sandboxId()).updateContainer(c.id(), OciSpec.resources(r.getResources().getValue().toByteArray()));
        return Empty.getDefaultInstance();
    }
}
