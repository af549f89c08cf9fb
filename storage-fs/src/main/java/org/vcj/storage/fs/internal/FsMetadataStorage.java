package org.vcj.storage.fs.internal;

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
 * The {@code fs} metadata storage: one file per record under {@code <vcj.root>/meta}. The root comes
 * from the configuration (pid {@code org.vcj.storage.fs}, key {@code root}) or the framework property
 * {@code vcj.root} (default {@code /run/vcj}).
 */
@Component(service = MetadataStorage.class, configurationPid = FsMetadataStorage.PID,
        property = MetadataStorage.TYPE + "=" + FsMetadataStorage.TYPE)
@Designate(ocd = FsMetadataStorage.Config.class)
public final class FsMetadataStorage implements MetadataStorage {
    /** Configuration pid. */
    public static final String PID = "org.vcj.storage.fs";
    /** Value of the {@code vcj.storage} service property. */
    public static final String TYPE = "fs";
    private static final System.Logger LOG = System.getLogger(FsMetadataStorage.class.getName());
    private final FsRecordStore store;

    /** Configuration of the fs storage. */
    @ObjectClassDefinition(name = "vcj fs metadata storage")
    public @interface Config {
        @AttributeDefinition(description = "State root; records go to <root>/meta. Default: framework property vcj.root, else /run/vcj")
        String root() default "";
    }

    /** Activated by DS. */
    @Activate
    public FsMetadataStorage(BundleContext context, Map<String, Object> properties) {
        Path root = FsPaths.root(properties, context::getProperty);
        this.store = new FsRecordStore(root);
        LOG.log(Level.DEBUG, () -> "activated " + store);
        try {
            store.cleanStaleTempFiles();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot clean stale temp files of " + store + ": " + e.getMessage());
        }
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
