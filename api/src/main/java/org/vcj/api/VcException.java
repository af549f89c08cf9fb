package org.vcj.api;

/**
 * Root of every error the vcj API reports. The family is sealed: callers branch on the
 * subtype and its typed fields, never on the message text. Every message says what failed,
 * for which object, and what to do about it.
 */
public abstract sealed class VcException extends RuntimeException
        permits InvalidConfigException, NotFoundException, AlreadyExistsException, InvalidStateException,
        PluginNotFoundException, NotSupportedException, HypervisorException, AgentException, StorageException,
        CommandNotRunnableException {
    private static final long serialVersionUID = 1L;

    protected VcException(String message, Throwable cause) {
        super(message, cause);
    }
}
