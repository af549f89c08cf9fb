package org.vcj.storage.leveldb.internal;

import java.time.Duration;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.vcj.api.storage.MetadataStorage;
import org.vcj.support.config.ConfigValues;
import org.vcj.support.storage.FsPaths;
import org.vcj.support.storage.StoreBackedStorage;

/**
 * The {@code leveldb} metadata storage: records in a LevelDB (leveldbjni) at {@code <vcj.root>/leveldb}.
 * Configuration pid {@code org.vcj.storage.leveldb}: {@code root} (else framework property
 * {@code vcj.root}, default {@code /run/vcj}) and {@code openTimeoutMillis} (a whole number above zero, default 10000; another value fails the activation
 * with an {@link org.vcj.api.InvalidConfigException} naming key and value).
 */
@Component(service = MetadataStorage.class, configurationPid = LevelDbMetadataStorage.PID,
        property = MetadataStorage.TYPE + "=" + LevelDbMetadataStorage.TYPE)
@Designate(ocd = LevelDbMetadataStorage.Config.class)
public final class LevelDbMetadataStorage extends StoreBackedStorage {
    /** Configuration pid. */
    public static final String PID = "org.vcj.storage.leveldb";
    /** Value of the {@code vcj.storage} service property. */
    public static final String TYPE = "leveldb";
    /** Default of {@code openTimeoutMillis}. */
    static final long DEFAULT_OPEN_TIMEOUT_MILLIS = 10_000;

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
        super(open(context, properties));
    }

    /**
     * The store the configuration names.
     *
     * @throws org.vcj.api.InvalidConfigException when {@code openTimeoutMillis} is not a whole number above zero
     */
    private static LevelDbRecordStore open(BundleContext context, Map<String, Object> properties) {
        long millis = ConfigValues.positiveLong(PID, properties, "openTimeoutMillis", DEFAULT_OPEN_TIMEOUT_MILLIS);
        return new LevelDbRecordStore(FsPaths.root(properties, context::getProperty), Duration.ofMillis(millis));
    }
}
