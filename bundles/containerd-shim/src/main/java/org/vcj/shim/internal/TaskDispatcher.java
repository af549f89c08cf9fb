package org.vcj.shim.internal;

import java.util.Map;

import org.vcj.api.AlreadyExistsException;
import org.vcj.api.InvalidConfigException;
import org.vcj.api.InvalidStateException;
import org.vcj.api.NotFoundException;
import org.vcj.api.NotSupportedException;
import org.vcj.api.VcException;
import org.vcj.shim.proto.TaskProto;

/**
 * The ttrpc face of the shim service: decodes each {@code containerd.task.v2.Task} call, of any task of the root,
 * routes it to the concept that does it (task lifecycle, exec processes, I/O, queries, the service's lifetime) and
 * encodes the answer; vcj's typed errors become the gRPC status codes containerd expects (not found, already exists,
 * failed precondition, invalid argument, unimplemented; anything else internal), with vcj's message. A Create is
 * done in the namespace its call's metadata names ({@value #NAMESPACE_KEY}), the service's own when none.
 */
final class TaskDispatcher implements TtrpcServer.Handler {
    static final String SERVICE = "containerd.task.v2.Task";
    /** containerd's ttrpc metadata key for the namespace of a call. */
    static final String NAMESPACE_KEY = "containerd-namespace-ttrpc";

    private final String defaultNamespace;
    private final TaskLifecycle lifecycle;
    private final ExecProcesses execs;
    private final ProcessIo io;
    private final TaskQueries queries;
    private final ServiceLifetime lifetime;
    private final TaskRegistry tasks;

    TaskDispatcher(String defaultNamespace, TaskRegistry tasks, TaskLifecycle lifecycle, ExecProcesses execs, ProcessIo io,
                   TaskQueries queries, ServiceLifetime lifetime) {
        this.defaultNamespace = defaultNamespace;
        this.tasks = tasks;
        this.lifecycle = lifecycle;
        this.execs = execs;
        this.io = io;
        this.queries = queries;
        this.lifetime = lifetime;
    }

    @Override
    public byte[] handle(String service, String method, Map<String, String> metadata, byte[] p) throws Exception {
        if (!SERVICE.equals(service)) throw new TaskException(TaskException.UNIMPLEMENTED, "unknown service " + service);
        lifetime.begin();
        try {
            return switch (method) {
                case "Create" -> lifecycle.create(metadata.getOrDefault(NAMESPACE_KEY, defaultNamespace),
                        TaskProto.CreateTaskRequest.parseFrom(p)).toByteArray();
                case "Start" -> start(TaskProto.StartRequest.parseFrom(p)).toByteArray();
                case "Wait" -> queries.await(TaskProto.WaitRequest.parseFrom(p)).toByteArray();
                case "State" -> queries.state(TaskProto.StateRequest.parseFrom(p)).toByteArray();
                case "Delete" -> lifecycle.delete(TaskProto.DeleteRequest.parseFrom(p)).toByteArray();
                case "Kill" -> lifecycle.kill(TaskProto.KillRequest.parseFrom(p)).toByteArray();
                case "Exec" -> execs.exec(TaskProto.ExecProcessRequest.parseFrom(p)).toByteArray();
                case "ResizePty" -> io.resize(TaskProto.ResizePtyRequest.parseFrom(p)).toByteArray();
                case "CloseIO" -> io.closeIO(TaskProto.CloseIORequest.parseFrom(p)).toByteArray();
                case "Pids" -> queries.pids(TaskProto.PidsRequest.parseFrom(p)).toByteArray();
                case "Pause" -> lifecycle.pause(TaskProto.PauseRequest.parseFrom(p).getId(), true).toByteArray();
                case "Resume" -> lifecycle.pause(TaskProto.ResumeRequest.parseFrom(p).getId(), false).toByteArray();
                case "Stats" -> queries.stats(TaskProto.StatsRequest.parseFrom(p)).toByteArray();
                case "Update" -> queries.update(TaskProto.UpdateTaskRequest.parseFrom(p)).toByteArray();
                case "Connect" -> lifetime.connect(TaskProto.ConnectRequest.parseFrom(p)).toByteArray();
                case "Shutdown" -> lifetime.shutdown(TaskProto.ShutdownRequest.parseFrom(p)).toByteArray();
                case "Checkpoint" -> throw new TaskException(TaskException.UNIMPLEMENTED,
                        "checkpoint is not supported by vcj: a sandbox VM is saved with the VM factories, not per container");
                default -> throw new TaskException(TaskException.UNIMPLEMENTED, "unknown method " + SERVICE + "/" + method);
            };
        } catch (NotFoundException e) {
            throw new TaskException(TaskException.NOT_FOUND, e.getMessage(), e);
        } catch (AlreadyExistsException e) {
            throw new TaskException(TaskException.ALREADY_EXISTS, e.getMessage(), e);
        } catch (InvalidStateException e) {
            throw new TaskException(TaskException.FAILED_PRECONDITION, e.getMessage(), e);
        } catch (InvalidConfigException e) {
            throw new TaskException(TaskException.INVALID_ARGUMENT, e.getMessage(), e);
        } catch (NotSupportedException e) {
            throw new TaskException(TaskException.UNIMPLEMENTED, e.getMessage(), e);
        } catch (VcException e) {
            throw new TaskException(TaskException.INTERNAL, e.getMessage(), e);
        } finally {
            lifetime.end();
        }
    }

    /** A connection is a call on its way (containerd's, after a {@code start} found the service): the service stays. */
    @Override
    public void connected() {
        lifetime.touch();
    }

    private TaskProto.StartResponse start(TaskProto.StartRequest r) {
        ShimContainer c = tasks.task(r.getId());
        ShimProcess p = TaskRegistry.process(c, r.getExecId());
        return p.isInit() ? lifecycle.start(c) : execs.start(c, p);
    }
}
