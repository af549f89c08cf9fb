package org.vcj.agent.internal;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** Factory for the gRPC errors the agent returns; each message says what failed and for which id. */
public final class AgentErrors {
    private AgentErrors() {
    }

    /** NOT_FOUND. */
    public static StatusRuntimeException notFound(String msg) {
        return Status.NOT_FOUND.withDescription(msg).asRuntimeException();
    }

    /** ALREADY_EXISTS. */
    public static StatusRuntimeException exists(String msg) {
        return Status.ALREADY_EXISTS.withDescription(msg).asRuntimeException();
    }

    /** FAILED_PRECONDITION: the object is in the wrong state for the call. */
    public static StatusRuntimeException state(String msg) {
        return Status.FAILED_PRECONDITION.withDescription(msg).asRuntimeException();
    }

    /** INVALID_ARGUMENT. */
    public static StatusRuntimeException invalid(String msg) {
        return Status.INVALID_ARGUMENT.withDescription(msg).asRuntimeException();
    }

    /** INTERNAL: an OS or OCI runtime operation failed. */
    public static StatusRuntimeException internal(String msg, Throwable cause) {
        return Status.INTERNAL.withDescription(msg).withCause(cause).asRuntimeException();
    }

    /** DEADLINE_EXCEEDED. */
    public static StatusRuntimeException timeout(String msg) {
        return Status.DEADLINE_EXCEEDED.withDescription(msg).asRuntimeException();
    }
}
