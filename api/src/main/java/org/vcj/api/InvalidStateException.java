package org.vcj.api;

/**
 * The operation is not allowed in the object's current state; the state was not changed.
 *
 * <p>A refused state change names the transition: {@link #from()} is the state the object is in,
 * {@link #to()} the state the operation would have moved it to (see {@link SandboxState#allowedNext()} and
 * {@link ContainerState#allowedNext()}, the only tables that decide). An operation that is not a state change
 * (exec, kill, ps ...) but needs a given state has {@link #to()} {@code null}. Both are {@link SandboxState}s when
 * {@link #kind()} is {@code sandbox}, {@link ContainerState}s when it is {@code container}.
 */
public final class InvalidStateException extends VcException {
    private static final long serialVersionUID = 2L;
    private final String kind;
    private final String id;
    private final Enum<?> from;
    private final Enum<?> to;
    private final String operation;

    private InvalidStateException(String kind, String id, Enum<?> from, Enum<?> to, String operation, String message) {
        super(message, null);
        this.kind = kind;
        this.id = id;
        this.from = from;
        this.to = to;
        this.operation = operation;
    }

    /**
     * A refused sandbox state change.
     *
     * @param id        the sandbox's id
     * @param from      its current state
     * @param to        the state the operation would have moved it to
     * @param operation the operation that was refused, e.g. {@code pause}
     * @param hint      what to do instead (may be {@code null})
     */
    public InvalidStateException(String id, SandboxState from, SandboxState to, String operation, String hint) {
        this("sandbox", id, from, to, operation, transition("sandbox", id, from, to, operation, hint));
    }

    /**
     * A refused container state change.
     *
     * @param id        the container's id
     * @param from      its current state
     * @param to        the state the operation would have moved it to
     * @param operation the operation that was refused, e.g. {@code start}
     * @param hint      what to do instead (may be {@code null})
     */
    public InvalidStateException(String id, ContainerState from, ContainerState to, String operation, String hint) {
        this("container", id, from, to, operation, transition("container", id, from, to, operation, hint));
    }

    /**
     * A refused sandbox operation that is not a state change ({@link #to()} is {@code null}).
     *
     * @param id        the sandbox's id
     * @param state     its current state
     * @param operation the operation that was refused, e.g. {@code add device}
     * @param allowed   the states in which the operation is allowed, or what to do (may be {@code null})
     */
    public InvalidStateException(String id, SandboxState state, String operation, String allowed) {
        this("sandbox", id, state, null, operation, refusal("sandbox", id, state, operation, allowed));
    }

    /**
     * A refused container operation that is not a state change ({@link #to()} is {@code null}).
     *
     * @param id        the container's id
     * @param state     its current state
     * @param operation the operation that was refused, e.g. {@code enter}
     * @param allowed   the states in which the operation is allowed, or what to do (may be {@code null})
     */
    public InvalidStateException(String id, ContainerState state, String operation, String allowed) {
        this("container", id, state, null, operation, refusal("container", id, state, operation, allowed));
    }

    private static String transition(String kind, String id, Enum<?> from, Enum<?> to, String operation, String hint) {
        return "cannot " + operation + " " + kind + " '" + id + "': " + from + " -> " + to + " is not allowed"
                + (hint == null ? "" : "; " + hint);
    }

    private static String refusal(String kind, String id, Enum<?> state, String operation, String allowed) {
        return "cannot " + operation + " " + kind + " '" + id + "' in state " + state
                + (allowed == null ? "" : " (allowed in: " + allowed + ")");
    }

    /** {@code sandbox} or {@code container}. */
    public String kind() { return kind; }

    /** The id of the sandbox or container. */
    public String id() { return id; }

    /** The state it is in (and stays in): a {@link SandboxState} or a {@link ContainerState}, as {@link #kind()} says. */
    public Enum<?> from() { return from; }

    /**
     * The state the refused operation would have moved it to, of the same enum as {@link #from()}; {@code null} when
     * the operation is not a state change.
     */
    public Enum<?> to() { return to; }

    /** The operation that was refused. */
    public String operation() { return operation; }
}
