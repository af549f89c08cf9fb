package org.vcj.storage.leveldb.internal;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.vcj.api.storage.MetadataLock;
import org.vcj.api.storage.MetadataStorage;
import org.vcj.support.storage.FsPaths;

/**
 * The {@code leveldb} metadata storage: records in a LevelDB (leveldbjni) at {@code <vcj.root>/leveldb}.
 * Configuration pid {@code org.vcj.storage.leveldb}: {@code root} (else framework property
 * {@code vcj.root}, default {@code /run/vcj}) and {@code openTimeoutMillis} (default 10000).
 */
@Component(service = MetadataStorage.class, configurationPid = LevelDbMetadataStorage.PID,
        property = MetadataStorage.TYPE + "=" + LevelDbMetadataStorage.TYPE)
@Designate(ocd = LevelDbMetadataStorage.Config.class)
public final class LevelDbMetadataStorage implements MetadataStorage {
    /** Configuration pid. */
    public static final String PID = "org.vcj.storage.leveldb";
    /** Value of the {@code vcj.storage} service property. */
    public static final String TYPE = "leveldb";
    private static final System.Logger LOG = System.getLogger(LevelDbMetadataStorage.class.getName());
    private final LevelDbRecordStore store;

    /** Configuration of the LevelDB storage. */
    @ObjectClassDefinition(name = "vcj LevelDB metadata storage")
    public @interface Config {
        @AttributeDefinition(description = "State root; the DB is <root>/leveldb. Default: framework property vcj.root, else /run/vcj")
        String root() default "";

        @AttributeDefinition(description = "How long an operation waits for another process to close the DB (ms)")
        long openTimeoutMillis() default 10_000;
    }

    /** Activated by DS. */
    @Activate
    public LevelDbMetadataStorage(BundleContext context, Map<String, Object> properties) {
        Path root = FsPaths.root(properties, context::getProperty);
        Object timeout = properties.get("openTimeoutMillis");
        long millis = timeout == null ? 10_000 : Long.parseLong(timeout.toString());
        this.store = new LevelDbRecordStore(root, Duration.ofMillis(millis));
        LOG.log(Level.DEBUG, () -> "activated " + store);
    }

    @Override
    public void save(String key, byte[] value) {
        store.save(key, value);
    }

    @Override
    public Optional<byte[]> load(String key) {
        return store.load(key);
    }

    @Override
    public void delete(String key) {
        store.delete(key);
    }

    @Override
    public List<String> keys(String prefix) {
        return store.keys(prefix);
    }

    @Override
    public MetadataLock lock(String key, Duration timeout) {
        return store.lock(key, timeout);
    }
}
