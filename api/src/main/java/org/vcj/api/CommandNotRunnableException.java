package org.vcj.api;

/**
 * The command of a container or of an exec'd process could not be started: its executable does not exist in the
 * container, or exists but cannot be executed. The guest agent finds this out when the OCI runtime fails to start
 * the process; nothing was left running. {@link #exitStatus()} is the status shells (and docker, podman) report
 * for it: 127 for not found, 126 for not executable.
 */
public final class CommandNotRunnableException extends VcException {
    private static final long serialVersionUID = 1L;

    /** Why the command could not be started. */
    public enum Reason {
        /** No such file (a name looked up on the process's {@code PATH}, or a path that does not exist): 127. */
        NOT_FOUND(127),
        /** The file exists but is not an executable regular file (no execute permission, a directory): 126. */
        NOT_EXECUTABLE(126);

        private final int exitStatus;

        Reason(int exitStatus) {
            this.exitStatus = exitStatus;
        }

        /** The exit status a shell reports for this reason. */
        public int exitStatus() { return exitStatus; }
    }

    private final String sandboxId;
    private final Reason reason;

    /**
     * @param sandboxId the sandbox
     * @param reason    why the command could not be started
     * @param detail    what the agent found: the command, the container, where it looked
     */
    public CommandNotRunnableException(String sandboxId, Reason reason, String detail, Throwable cause) {
        super(detail + "; "
                + (reason == Reason.NOT_FOUND ? "check the command's name, or give its full path in the container"
                        : "give an executable file, or make it executable (chmod +x) in the container's rootfs"), cause);
        this.sandboxId = sandboxId;
        this.reason = reason;
    }

    public String sandboxId() { return sandboxId; }

    public Reason reason() { return reason; }

    /** 127 (not found) or 126 (not executable), as shells report it. */
    public int exitStatus() { return reason.exitStatus(); }
}
