package org.vcj.shim.internal;

import org.vcj.api.AlreadyExistsException;
import org.vcj.api.InvalidConfigException;
import org.vcj.api.InvalidStateException;
import org.vcj.api.NotFoundException;
import org.vcj.api.NotSupportedException;
import org.vcj.api.VcException;
import org.vcj.shim.proto.TaskProto;

/**
 * The ttrpc face of the {@link TaskService}: decodes each {@code containerd.task.v2.Task} call, runs it and encodes
 * the answer; vcj's typed errors become the gRPC status codes containerd expects (not found, already exists,
 * failed precondition, invalid argument, unimplemented; anything else internal), with vcj's message.
 */
final class TaskDispatcher implements TtrpcServer.Handler {
    private final TaskService tasks;

    TaskDispatcher(TaskService tasks) {
        this.tasks = tasks;
    }

    @Override
    public byte[] handle(String service, String method, byte[] p) throws Exception {
        if (!TaskService.SERVICE.equals(service)) throw new TaskException(TaskException.UNIMPLEMENTED, "unknown service " + service);
        try {
            return switch (method) {
                case "Create" -> tasks.create(TaskProto.CreateTaskRequest.parseFrom(p)).toByteArray();
                case "Start" -> tasks.start(TaskProto.StartRequest.parseFrom(p)).toByteArray();
                case "Wait" -> tasks.await(TaskProto.WaitRequest.parseFrom(p)).toByteArray();
                case "State" -> tasks.state(TaskProto.StateRequest.parseFrom(p)).toByteArray();
                case "Delete" -> tasks.delete(TaskProto.DeleteRequest.parseFrom(p)).toByteArray();
                case "Kill" -> tasks.kill(TaskProto.KillRequest.parseFrom(p)).toByteArray();
                case "Exec" -> tasks.exec(TaskProto.ExecProcessRequest.parseFrom(p)).toByteArray();
                case "ResizePty" -> tasks.resize(TaskProto.ResizePtyRequest.parseFrom(p)).toByteArray();
                case "CloseIO" -> tasks.closeIO(TaskProto.CloseIORequest.parseFrom(p)).toByteArray();
                case "Pids" -> tasks.pids(TaskProto.PidsRequest.parseFrom(p)).toByteArray();
                case "Pause" -> tasks.pause(TaskProto.PauseRequest.parseFrom(p).getId(), true).toByteArray();
                case "Resume" -> tasks.pause(TaskProto.ResumeRequest.parseFrom(p).getId(), false).toByteArray();
                case "Stats" -> tasks.stats(TaskProto.StatsRequest.parseFrom(p)).toByteArray();
                case "Update" -> tasks.update(TaskProto.UpdateTaskRequest.parseFrom(p)).toByteArray();
                case "Connect" -> tasks.connect(TaskProto.ConnectRequest.parseFrom(p)).toByteArray();
                case "Shutdown" -> tasks.shutdown(TaskProto.ShutdownRequest.parseFrom(p)).toByteArray();
                case "Checkpoint" -> throw new TaskException(TaskException.UNIMPLEMENTED,
                        "checkpoint is not supported by vcj: a sandbox VM is saved with the VM factories, not per container");
                default -> throw new TaskException(TaskException.UNIMPLEMENTED, "unknown method " + TaskService.SERVICE + "/" + method);
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
        }
    }

}
