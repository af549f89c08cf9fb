package org.vcj.api;

/** An object with the requested id exists already; nothing was created or changed. */
public final class AlreadyExistsException extends VcException {
    private static final long serialVersionUID = 1L;
    private final String kind;
    private final String id;

    public AlreadyExistsException(String kind, String id) {
        super(kind + " '" + id + "' already exists: choose another id, or delete the existing " + kind + " first", null);
        this.kind = kind;
        this.id = id;
    }

    public String kind() { return kind; }

    public String id() { return id; }
}
