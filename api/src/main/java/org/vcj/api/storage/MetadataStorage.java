package org.vcj.api.storage;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The metadata storage plugin SPI (Kata {@code storage.Save/Load/Delete}). A bundle registers an
 * implementation with the service property {@value #TYPE} (e.g. {@code fs}, {@code leveldb}).
 * Values are opaque bytes; the core owns their format and versioning.
 *
 * <p>Keys are {@code /}-separated segments of {@code [A-Za-z0-9_.-]}, e.g. {@code sandbox/abc}.
 * A {@link #save} is durable when it returns and atomic: a process killed at any moment leaves
 * either the old or the new value, never a mix. Implementations are thread-safe and safe to use from
 * several processes on the same root at once. Errors are {@code StorageException} naming the key.
 * Called by the vcj core only.
 */
@ConsumerType
public interface MetadataStorage {
    /** The service property naming the storage type. */
    String TYPE = "vcj.storage";
    /** The component configuration property (and framework property {@code vcj.root}) naming the state root directory. */
    String ROOT = "vcj.root";

    void save(String key, byte[] value);

    Optional<byte[]> load(String key);

    /** Removes a record; removing a key that does not exist is not an error. */
    void delete(String key);

    /** The keys that start with {@code prefix}, sorted. */
    List<String> keys(String prefix);

    /**
     * Takes an exclusive lock on {@code key}, across threads and processes, waiting up to {@code timeout}.
     * The key need not have a record. @throws org.vcj.api.StorageException when the wait times out
     */
    MetadataLock lock(String key, Duration timeout);
}
