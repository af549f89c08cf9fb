package org.vcj.shim.internal;

import com.google.protobuf.Empty;

import org.vcj.api.AgentException;
import org.vcj.api.VC;
import org.vcj.api.VCSandbox;
import org.vcj.shim.proto.TaskProto;

/** The I/O of a task's processes: the FIFO relays of their stdio, their terminal size, the end of their stdin. */
final class ProcessIo {
    private static final System.Logger LOG = System.getLogger(ProcessIo.class.getName());

    private final VC vc;
    private final TaskRegistry tasks;

    ProcessIo(VC vc, TaskRegistry tasks) {
        this.vc = vc;
        this.tasks = tasks;
    }

    /** Relays the stdio of process {@code p} (agent id {@code agentId}) between its FIFOs and the agent. */
    FifoRelay relay(VCSandbox sandbox, ShimProcess p, String agentId) {
        return FifoRelay.start(sandbox.ioStream(p.containerId, agentId), p.stdin, p.stdout, p.terminal ? "" : p.stderr,
                "vcj-shim-" + p.containerId + (p.isInit() ? "" : "-" + p.execId));
    }

    Empty resize(TaskProto.ResizePtyRequest r) {
        ShimContainer c = tasks.task(r.getId());
        ShimProcess p = TaskRegistry.process(c, r.getExecId());
        if (!p.terminal) throw new TaskException(TaskException.FAILED_PRECONDITION, "process " + p.name() + " has no terminal");
        if (p.agentId() == null || p.hasExited()) return Empty.getDefaultInstance();
        try {
            vc.fetchSandbox(c.sandboxId()).winsizeProcess(c.id(), p.agentId(), (int) r.getHeight(), (int) r.getWidth());
        } catch (AgentException e) {
            // the process ended between the check and the call (its exit is not recorded yet): a closed terminal has no size
            LOG.log(System.Logger.Level.INFO, "resize of " + p.name() + " not done: " + e.getMessage());
        }
        return Empty.getDefaultInstance();
    }

    Empty closeIO(TaskProto.CloseIORequest r) {
        ShimProcess p = TaskRegistry.process(tasks.task(r.getId()), r.getExecId());
        if (r.getStdin() && p.relay() != null) p.relay().closeIO();
        return Empty.getDefaultInstance();
    }
}
