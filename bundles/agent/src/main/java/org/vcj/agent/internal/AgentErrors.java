package org.vcj.agent.internal;

import org.vcj.support.text.OneLine;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Factory for the gRPC errors the agent returns; each message says what failed and for which id, on one line (control
 * characters of ids and values the caller sent are shown as escapes).
 */
public final class AgentErrors {
    private AgentErrors() {
    }

    /** NOT_FOUND. */
    public static StatusRuntimeException notFound(String msg) {
        return Status.NOT_FOUND.withDescription(oneLine(msg)).asRuntimeException();
    }

    /** ALREADY_EXISTS. */
    public static StatusRuntimeException exists(String msg) {
        return Status.ALREADY_EXISTS.withDescription(oneLine(msg)).asRuntimeException();
    }

    /** FAILED_PRECONDITION: the object is in the wrong state for the call. */
    public static StatusRuntimeException state(String msg) {
        return Status.FAILED_PRECONDITION.withDescription(oneLine(msg)).asRuntimeException();
    }

    /** INVALID_ARGUMENT. */
    public static StatusRuntimeException invalid(String msg) {
        return Status.INVALID_ARGUMENT.withDescription(oneLine(msg)).asRuntimeException();
    }

    /** INTERNAL: an OS or OCI runtime operation failed. */
    public static StatusRuntimeException internal(String msg, Throwable cause) {
        return Status.INTERNAL.withDescription(oneLine(msg)).withCause(cause).asRuntimeException();
    }

    /**
     * INVALID_ARGUMENT for a command that is missing or not executable, with a {@code CommandError} in the trailers
     * so that the client can tell it apart without reading the message.
     */
    public static StatusRuntimeException command(CommandResolver.Finding f) {
        io.grpc.Metadata trailers = new io.grpc.Metadata();
        trailers.put(io.grpc.protobuf.ProtoUtils.keyForProto(org.vcj.agent.protocol.CommandError.getDefaultInstance()),
                org.vcj.agent.protocol.CommandError.newBuilder().setReason(f.reason()).setCommand(f.command()).build());
        return Status.INVALID_ARGUMENT.withDescription(oneLine(f.detail())).asRuntimeException(trailers);
    }

    /** DEADLINE_EXCEEDED. */
    public static StatusRuntimeException timeout(String msg) {
        return Status.DEADLINE_EXCEEDED.withDescription(oneLine(msg)).asRuntimeException();
    }

    /** {@code msg} with line breaks and other control characters as backslash escapes. */
    static String oneLine(String msg) {
        return OneLine.of(msg);
    }
}
