package org.vcj.api.storage;

/** A held lock on a metadata key; {@link #close()} releases it. */
public interface MetadataLock extends AutoCloseable {
    @Override
    void close();
}
