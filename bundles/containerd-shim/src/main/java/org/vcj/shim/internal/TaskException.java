package org.vcj.shim.internal;

/** A Task call's failure with the gRPC status code the ttrpc response carries. */
final class TaskException extends RuntimeException {
    static final int INVALID_ARGUMENT = 3;
    static final int NOT_FOUND = 5;
    static final int ALREADY_EXISTS = 6;
    static final int FAILED_PRECONDITION = 9;
    static final int UNIMPLEMENTED = 12;
    static final int INTERNAL = 13;
    static final int UNAVAILABLE = 14;

    private final int code;

    TaskException(int code, String message) {
        super(message);
        this.code = code;
    }

    TaskException(int code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    int code() {
        return code;
    }
}
