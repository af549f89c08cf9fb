package org.vcj.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The global options the launcher must know before Felix starts: the state root ({@code --root}) and its metadata
 * storage ({@code --storage}). A root remembers its storage in {@code <root>/storage.type}, so later calls need
 * not repeat it; asking a root for another storage than the one it uses is an error.
 *
 * This is the one parser of the global options: they stand before the verb ({@code --root=DIR}, {@code --root DIR},
 * {@code --storage=TYPE}, {@code --storage TYPE}); the CLI gets only {@link #verbArgs} (from the first argument that is
 * not one of them), so no other place parses them again.
 *
 * @param root     the state root
 * @param storage  the metadata storage type of that root
 * @param verbArgs the arguments after the global options: the verb and its own arguments
 */
record GlobalOptions(Path root, String storage, List<String> verbArgs) {

    GlobalOptions {
        verbArgs = List.copyOf(verbArgs);
    }

    static final String STORAGE_FILE = "storage.type";

    /** Thrown for a usage error (exit status 2). */
    static final class UsageError extends Exception {
        UsageError(String message) {
            super(message);
        }
    }

    static GlobalOptions parse(String[] args, Map<String, String> env, boolean isRoot, Map<String, String> settings)
            throws UsageError {
        String root = settings.get("root"), storage = settings.get("storage");
        int i = 0;
        for (; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--root=")) root = a.substring(7);
            else if (a.startsWith("--storage=")) storage = a.substring(10);
            else if (a.equals("--root") || a.equals("--storage")) {
                if (i + 1 >= args.length) throw new UsageError("option " + a + " needs a value");
                if (a.equals("--root")) root = args[++i];
                else storage = args[++i];
            } else {
                break; // the verb, or an option the CLI reports
            }
        }
        Path rootDir = Path.of(root != null ? root : defaultRoot(env, isRoot)).toAbsolutePath().normalize();
        return new GlobalOptions(rootDir, rememberedStorage(rootDir, storage), Arrays.asList(args).subList(i, args.length));
    }

    private static String defaultRoot(Map<String, String> env, boolean isRoot) throws UsageError {
        if (isRoot) return "/run/vcj";
        String xdg = env.get("XDG_RUNTIME_DIR");
        if (xdg == null || xdg.isBlank()) {
            throw new UsageError("no state root: run as root (root /run/vcj), set XDG_RUNTIME_DIR, or give --root=DIR");
        }
        return xdg + "/vcj";
    }

    private static String rememberedStorage(Path root, String asked) throws UsageError {
        Path file = root.resolve(STORAGE_FILE);
        try {
            String kept = Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8).trim() : inferred(root);
            if (kept != null && kept.isEmpty()) kept = inferred(root); // written empty by an older vcj killed mid-write
            if (kept != null) {
                if (asked != null && !asked.equals(kept)) {
                    throw new UsageError("root " + root + " uses storage '" + kept + "', not '" + asked
                            + "'; drop --storage or use another --root");
                }
                if (asked != null && !Files.isRegularFile(file)) remember(root, file, kept);
                return kept;
            }
            if (asked == null) return "fs";
            if (!asked.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) throw new UsageError("bad --storage value '" + asked + "'");
            remember(root, file, asked);
            return asked;
        } catch (IOException e) {
            throw new UsageError("cannot use root " + root + ": " + e.getMessage());
        }
    }

    /** A root written before storage.type existed: its layout names its storage (fs: meta/, leveldb: leveldb/). */
    private static String inferred(Path root) {
        if (Files.isDirectory(root.resolve("leveldb"))) return "leveldb";
        if (Files.isDirectory(root.resolve("meta"))) return "fs";
        return null;
    }

    /** Writes storage.type atomically (temp file + rename): a concurrent or later call never reads it half written. */
    private static void remember(Path root, Path file, String storage) throws IOException {
        Files.createDirectories(root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path tmp = Files.createTempFile(root, "." + STORAGE_FILE + "-", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(tmp, storage + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
