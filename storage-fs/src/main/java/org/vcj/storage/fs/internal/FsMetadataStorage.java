package org.vcj.storage.fs.internal;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.vcj.api.storage.MetadataStorage;
import org.vcj.support.storage.FsPaths;
import org.vcj.support.storage.StoreBackedStorage;

/**
 * The {@code fs} metadata storage: one file per record under {@code <vcj.root>/meta}. The root comes
 * from the configuration (pid {@code org.vcj.storage.fs}, key {@code root}) or the framework property
 * {@code vcj.root} (default {@code /run/vcj}).
 */
@Component(service = MetadataStorage.class, configurationPid = FsMetadataStorage.PID,
        property = MetadataStorage.TYPE + "=" + FsMetadataStorage.TYPE)
@Designate(ocd = FsMetadataStorage.Config.class)
public final class FsMetadataStorage extends StoreBackedStorage {
    /** Configuration pid. */
    public static final String PID = "org.vcj.storage.fs";
    /** Value of the {@code vcj.storage} service property. */
    public static final String TYPE = "fs";
    private static final System.Logger LOG = System.getLogger(FsMetadataStorage.class.getName());

    /** Configuration of the fs storage. */
    @ObjectClassDefinition(name = "vcj fs metadata storage")
    public @interface Config {
        @AttributeDefinition(description = "State root; records go to <root>/meta. Default: framework property vcj.root, else /run/vcj")
        String root() default "";
    }

    /** Activated by DS. */
    @Activate
    public FsMetadataStorage(BundleContext context, Map<String, Object> properties) {
        super(open(FsPaths.root(properties, context::getProperty)));
    }

    /** The store under {@code root}, rid of the temp files a killed writer left (a failure there is only logged). */
    private static FsRecordStore open(Path root) {
        FsRecordStore store = new FsRecordStore(root);
        try {
            store.cleanStaleTempFiles();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot clean stale temp files of " + store + ": " + e.getMessage());
        }
        return store;
    }
}
