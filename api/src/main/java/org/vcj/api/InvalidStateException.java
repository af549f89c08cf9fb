package org.vcj.api;

/**
 * The operation is not allowed in the object's current state; the state was not changed.
 *
 * <p>A refused state change names the transition: {@link #from()} is the state the object is in,
 * {@link #to()} the state the operation would have moved it to (see {@link SandboxState#allowedNext()} and
 * {@link ContainerState#allowedNext()}, the only tables that decide). An operation that is not a state change
 * (exec, kill, ps ...) but needs a given state has {@link #to()} {@code null}.
 */
public final class InvalidStateException extends VcException {
    private static final long serialVersionUID = 1L;
    private final String kind;
    private final String id;
    private final String from;
    private final String to;
    private final String operation;

    /**
     * A refused state change.
     *
     * @param kind      {@code sandbox} or {@code container}
     * @param id        its id
     * @param from      its current state (lower case, as Kata prints it)
     * @param to        the state the operation would have moved it to
     * @param operation the operation that was refused, e.g. {@code pause}
     * @param hint      what to do instead (may be {@code null})
     */
    public InvalidStateException(String kind, String id, String from, String to, String operation, String hint) {
        super("cannot " + operation + " " + kind + " '" + id + "': " + from + " -> " + to + " is not allowed"
                + (hint == null ? "" : "; " + hint), null);
        this.kind = kind;
        this.id = id;
        this.from = from;
        this.to = to;
        this.operation = operation;
    }

    /**
     * A refused operation that is not a state change ({@link #to()} is {@code null}).
     *
     * @param kind      {@code sandbox} or {@code container}
     * @param id        its id
     * @param state     the current state (lower case, as Kata prints it)
     * @param operation the operation that was refused, e.g. {@code enter}
     * @param allowed   the states in which the operation is allowed, or what to do (may be {@code null})
     */
    public InvalidStateException(String kind, String id, String state, String operation, String allowed) {
        super("cannot " + operation + " " + kind + " '" + id + "' in state " + state
                + (allowed == null ? "" : " (allowed in: " + allowed + ")"), null);
        this.kind = kind;
        this.id = id;
        this.from = state;
        this.to = null;
        this.operation = operation;
    }

    /** {@code sandbox} or {@code container}. */
    public String kind() { return kind; }

    /** The id of the sandbox or container. */
    public String id() { return id; }

    /** The state it is in (and stays in), lower case. */
    public String from() { return from; }

    /** The state the refused operation would have moved it to, lower case; {@code null} when it is not a state change. */
    public String to() { return to; }

    /** The current state; the same as {@link #from()}. */
    public String state() { return from; }

    /** The operation that was refused. */
    public String operation() { return operation; }
}
