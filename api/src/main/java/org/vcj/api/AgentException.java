package org.vcj.api;

/** The guest agent could not be reached or refused a request; {@link #remoteCode()} is its gRPC status name, if any. */
public final class AgentException extends VcException {
    private static final long serialVersionUID = 1L;
    private final String sandboxId;
    private final String operation;
    private final String remoteCode;

    public AgentException(String sandboxId, String operation, String remoteCode, String detail, Throwable cause) {
        super("agent " + operation + " in sandbox '" + sandboxId + "' failed"
                + (remoteCode == null ? "" : " (" + remoteCode + ")") + ": " + detail, cause);
        this.sandboxId = sandboxId;
        this.operation = operation;
        this.remoteCode = remoteCode;
    }

    public String sandboxId() { return sandboxId; }

    public String operation() { return operation; }

    /** The agent's status code name (e.g. {@code NOT_FOUND}), or {@code null} when the agent was not reached. */
    public String remoteCode() { return remoteCode; }
}
