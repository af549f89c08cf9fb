package org.vcj.agent.client.internal;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.vcj.agent.protocol.AgentServiceGrpc;
import org.vcj.agent.protocol.AgentServiceGrpc.AgentServiceBlockingStub;
import org.vcj.agent.protocol.HealthGrpc;
import org.vcj.agent.protocol.HealthGrpc.HealthBlockingStub;
import org.vcj.agent.protocol.CommandError;
import org.vcj.api.AgentException;
import org.vcj.api.CommandNotRunnableException;
import org.vcj.api.VcException;

/**
 * Runs one RPC with a deadline on a channel and turns gRPC failures into {@link AgentException}s
 * naming the sandbox and the RPC (or {@link CommandNotRunnableException}, see {@link #failure}).
 */
final class AgentCalls {
    /** Deadline of ordinary RPCs. */
    static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(60);
    /** Added to the agent-side wait of WaitProcess / GetOOMEvent / RemoveContainer. */
    static final Duration MARGIN = Duration.ofSeconds(30);
    private static final io.grpc.Metadata.Key<CommandError> COMMAND_ERROR =
            io.grpc.protobuf.ProtoUtils.keyForProto(CommandError.getDefaultInstance());
    private final String sandboxId;
    private final ManagedChannel channel;
    private volatile boolean closed;

    AgentCalls(String sandboxId, ManagedChannel channel) {
        this.sandboxId = sandboxId;
        this.channel = channel;
    }

    String sandboxId() {
        return sandboxId;
    }

    /** Calls an AgentService RPC with the default deadline. */
    <T> T agent(String rpc, Function<AgentServiceBlockingStub, T> call) {
        return agent(rpc, DEFAULT_DEADLINE, call);
    }

    /** Calls an AgentService RPC with {@code deadline} (null: none). */
    <T> T agent(String rpc, Duration deadline, Function<AgentServiceBlockingStub, T> call) {
        AgentServiceBlockingStub stub = AgentServiceGrpc.newBlockingStub(open(rpc));
        return run(rpc, () -> call.apply(deadline == null ? stub : stub.withDeadlineAfter(millis(deadline), TimeUnit.MILLISECONDS)));
    }

    /** Calls a Health RPC with {@code deadline}. */
    <T> T health(String rpc, Duration deadline, Function<HealthBlockingStub, T> call) {
        HealthBlockingStub stub = HealthGrpc.newBlockingStub(open(rpc)).withDeadlineAfter(millis(deadline), TimeUnit.MILLISECONDS);
        return run(rpc, () -> call.apply(stub));
    }

    private ManagedChannel open(String rpc) {
        if (closed) {
            throw new AgentException(sandboxId, rpc, null, "the agent connection was closed; connect again", null);
        }
        return channel;
    }

    private <T> T run(String rpc, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (StatusRuntimeException e) {
            throw failure(sandboxId, rpc, e);
        }
    }

    /**
     * The typed error for a failed RPC: {@link CommandNotRunnableException} when the agent says (in a
     * {@code CommandError} trailer) that a process's command is missing or not executable, otherwise
     * {@link AgentException}.
     */
    static VcException failure(String sandboxId, String rpc, StatusRuntimeException e) {
        io.grpc.Status s = e.getStatus();
        io.grpc.Metadata trailers = io.grpc.Status.trailersFromThrowable(e);
        if (trailers != null && trailers.containsKey(COMMAND_ERROR)) {
            CommandError ce = trailers.get(COMMAND_ERROR);
            CommandNotRunnableException.Reason reason = ce.getReason() == CommandError.Reason.NOT_EXECUTABLE
                    ? CommandNotRunnableException.Reason.NOT_EXECUTABLE : CommandNotRunnableException.Reason.NOT_FOUND;
            return new CommandNotRunnableException(sandboxId, reason, String.valueOf(s.getDescription()), e);
        }
        String detail = s.getDescription() != null ? s.getDescription() : String.valueOf(s.getCause());
        String hint = switch (s.getCode()) {
            case UNAVAILABLE -> "; the agent is not reachable: check that the sandbox VM is running";
            case DEADLINE_EXCEEDED -> "; the agent did not answer in time: it may be overloaded or hung";
            case CANCELLED -> "; the call was cancelled (interrupted or connection closed)";
            default -> "";
        };
        return new AgentException(sandboxId, rpc, s.getCode().name(), detail + hint, e);
    }

    static long millis(Duration d) {
        return Math.max(1, Math.min(d.toMillis(), TimeUnit.DAYS.toMillis(365)));
    }

    boolean isClosed() {
        return closed;
    }

    void close() {
        closed = true;
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
