package org.vcj.api;

/** The metadata storage failed to save, load, delete or lock a record. */
public final class StorageException extends VcException {
    private static final long serialVersionUID = 1L;
    private final String key;
    private final String operation;

    public StorageException(String key, String operation, String detail, Throwable cause) {
        super(operation + " of metadata record '" + key + "' failed: " + detail, cause);
        this.key = key;
        this.operation = operation;
    }

    public String key() { return key; }

    public String operation() { return operation; }
}
