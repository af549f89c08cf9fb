package org.vcj.support.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** File-system helpers shared by the storage plugins: private directories and the state root. */
public final class FsPaths {
    /** Permissions of directories the storage creates. */
    public static final Set<PosixFilePermission> DIR_PERMS = PosixFilePermissions.fromString("rwx------");
    /** Permissions of record files. */
    public static final Set<PosixFilePermission> FILE_PERMS = PosixFilePermissions.fromString("rw-------");
    /** Default state root. */
    public static final String DEFAULT_ROOT = "/run/vcj";

    private FsPaths() {
    }

    /** Creates {@code dir} and its missing parents with mode 0700. */
    public static void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        FileAttribute<Set<PosixFilePermission>> attr = PosixFilePermissions.asFileAttribute(DIR_PERMS);
        Files.createDirectories(dir, attr);
    }

    /**
     * The state root: component configuration {@code root} or {@code vcj.root}, else the framework
     * property {@code vcj.root}, else {@value #DEFAULT_ROOT}.
     */
    public static Path root(Map<String, ?> config, Function<String, String> frameworkProperty) {
        for (String name : new String[] {"root", "vcj.root"}) {
            Object value = config == null ? null : config.get(name);
            if (value != null && !value.toString().isBlank()) {
                return Path.of(value.toString()).toAbsolutePath();
            }
        }
        String fromFramework = frameworkProperty.apply("vcj.root");
        return Path.of(fromFramework == null || fromFramework.isBlank() ? DEFAULT_ROOT : fromFramework).toAbsolutePath();
    }
}
