package org.vcj.support.storage;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.vcj.api.storage.MetadataLock;
import org.vcj.api.storage.MetadataStorage;

/**
 * The one shape of a storage plugin's DS facade: the component (a subclass that adds only its configuration and
 * activation) hands every call to the record store it made at activation. Thread-safe as far as the store is.
 */
public abstract class StoreBackedStorage implements MetadataStorage {
    private static final System.Logger LOG = System.getLogger(StoreBackedStorage.class.getName());
    private final MetadataStorage store;

    /** @param store the plugin's record store, which does the work */
    protected StoreBackedStorage(MetadataStorage store) {
        this.store = store;
        LOG.log(System.Logger.Level.DEBUG, () -> getClass().getSimpleName() + " activated on " + store);
    }

    @Override
    public final void save(String key, byte[] value) {
        store.save(key, value);
    }

    @Override
    public final Optional<byte[]> load(String key) {
        return store.load(key);
    }

    @Override
    public final void delete(String key) {
        store.delete(key);
    }

    @Override
    public final List<String> keys(String prefix) {
        return store.keys(prefix);
    }

    @Override
    public final MetadataLock lock(String key, Duration timeout) {
        return store.lock(key, timeout);
    }

    @Override
    public String toString() {
        return store.toString();
    }
}
