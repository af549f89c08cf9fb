package org.vcj.api;

/** The guest agent a sandbox runs. vcj ships one agent, {@link #KATA} (the gRPC agent of bundles/agent). */
public record AgentType(String name) {
    public static final AgentType NOOP = new AgentType("noop");
    public static final AgentType KATA = new AgentType("kata");
    /** A VSOCK socket type for talking to an agent. */
    public static final String SOCKET_TYPE_VSOCK = "vsock";
    /** A UNIX socket type for talking to an agent. */
    public static final String SOCKET_TYPE_UNIX = "unix";

    public AgentType {
        if (name == null || name.isBlank()) throw new InvalidConfigException("AgentType", name, "must not be empty; use 'kata'");
    }

    @Override
    public String toString() { return name; }
}
