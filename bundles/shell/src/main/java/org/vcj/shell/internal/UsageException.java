package org.vcj.shell.internal;

/** A command line the verb cannot accept (unknown option, missing argument ...): exit status 2 with the verb's usage. */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
