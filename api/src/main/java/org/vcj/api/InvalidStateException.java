package org.vcj.api;

/** The operation is not allowed in the object's current state; the state was not changed. */
public final class InvalidStateException extends VcException {
    private static final long serialVersionUID = 1L;
    private final String kind;
    private final String id;
    private final String state;
    private final String operation;

    /**
     * @param kind      {@code sandbox} or {@code container}
     * @param id        its id
     * @param state     the current state (lower case, as Kata prints it)
     * @param operation the operation that was refused, e.g. {@code pause}
     * @param allowed   the states in which the operation is allowed
     */
    public InvalidStateException(String kind, String id, String state, String operation, String allowed) {
        super("cannot " + operation + " " + kind + " '" + id + "' in state " + state
                + (allowed == null ? "" : " (allowed in: " + allowed + ")"), null);
        this.kind = kind;
        this.id = id;
        this.state = state;
        this.operation = operation;
    }

    public String kind() { return kind; }

    public String id() { return id; }

    public String state() { return state; }

    public String operation() { return operation; }
}
