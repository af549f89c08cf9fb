package org.vcj.api;

/** The sandbox, container, process or device named by the caller does not exist. */
public final class NotFoundException extends VcException {
    private static final long serialVersionUID = 1L;
    private final String kind;
    private final String id;

    /** @param kind {@code sandbox}, {@code container}, {@code process}, {@code device} ...; @param id its id */
    public NotFoundException(String kind, String id, String hint) {
        super(kind + " '" + id + "' not found" + (hint == null ? "" : ": " + hint), null);
        this.kind = kind;
        this.id = id;
    }

    public String kind() { return kind; }

    public String id() { return id; }
}
