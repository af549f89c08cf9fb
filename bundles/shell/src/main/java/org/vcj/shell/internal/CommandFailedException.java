package org.vcj.shell.internal;

/**
 * Thrown by a Gogo {@code vc:*} command that ended with a non-zero exit status, so that
 * {@code CommandSession.execute} fails (and {@code &&}/{@code ||} see a failure). The message was already
 * printed on the session's stderr; the status is also in the session variable {@code vcj.status}.
 */
public final class CommandFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    CommandFailedException(String command, int status) {
        super(command + ": exit status " + status, null, false, false);
        this.status = status;
    }

    /** The exit status the CLI would have returned. */
    public int status() { return status; }

    /** Just the message: Gogo's shell prints {@code toString()} in red. */
    @Override
    public String toString() { return getMessage(); }
}
