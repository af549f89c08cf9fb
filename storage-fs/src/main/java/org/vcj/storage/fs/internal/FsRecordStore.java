package org.vcj.storage.fs.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.vcj.api.StorageException;
import org.vcj.api.storage.MetadataLock;
import org.vcj.api.storage.MetadataStorage;
import org.vcj.support.storage.FsPaths;
import org.vcj.support.storage.LockFiles;
import org.vcj.support.storage.StorageKeys;

/**
 * Metadata records as files: key {@code a/b} is the file {@code <root>/meta/a/b} (mode 0600, dirs
 * 0700). A save writes a temp file {@code .b.tmp-<random>} in the same directory, fsyncs it, renames
 * it over the record and fsyncs the directory. A temp file is named {@code .b.tmp-<pid>-<random>}; one left by a
 * crash is never read, and listing removes it once its writer's process is gone (or it is older than a minute, for a
 * pid reused since). Locks are files under {@code <root>/locks} that exist only while held.
 */
public final class FsRecordStore implements MetadataStorage {
    private static final String TMP_MARK = ".tmp-";
    private static final long STALE_TMP_MILLIS = 60_000;
    private static final int CREATE_ATTEMPTS = 100;
    private final Path meta;
    private final LockFiles locks;

    /** @param root the state root; records go to {@code <root>/meta}, locks to {@code <root>/locks} */
    public FsRecordStore(Path root) {
        this.meta = root.resolve("meta").toAbsolutePath();
        this.locks = new LockFiles(root.resolve("locks").toAbsolutePath());
    }

    @Override
    public void save(String key, byte[] value) {
        Path file = file(key, "save");
        if (value == null) {
            throw new StorageException(key, "save", "the value must not be null; use delete to remove a record", null);
        }
        Path dir = file.getParent();
        Path tmp = dir.resolve("." + file.getFileName() + TMP_MARK + ProcessHandle.current().pid() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            createTempIn(dir, tmp, file, key);
            writeSynced(tmp, value);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(dir);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new StorageException(key, "save", "cannot write " + file + ": " + e
                    + "; check that " + meta + " is writable and the disk is not full", e);
        }
    }

    /**
     * Creates the directory and the empty temp file in it. A delete of the directory's last record in another process
     * removes the directory once it is empty, which can fall between creating it and creating the temp file: then it
     * is created again. Once the temp file is in it the directory is not empty, so it stays.
     */
    private static void createTempIn(Path dir, Path tmp, Path file, String key) throws IOException {
        for (int attempt = 1; ; attempt++) {
            FsPaths.createDirectories(dir);
            if (Files.isDirectory(file)) {
                throw new StorageException(key, "save", file + " is a directory holding other keys; use another key", null);
            }
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(FsPaths.FILE_PERMS));
                return;
            } catch (NoSuchFileException e) {
                if (attempt == CREATE_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private static void writeSynced(Path tmp, byte[] value) throws IOException {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(value);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    @Override
    public Optional<byte[]> load(String key) {
        Path file = file(key, "load");
        try {
            if (Files.isDirectory(file)) {
                return Optional.empty();
            }
            return Optional.of(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StorageException(key, "load", "cannot read " + file + ": " + e, e);
        }
    }

    @Override
    public void delete(String key) {
        Path file = file(key, "delete");
        try {
            if (!Files.isDirectory(file) && Files.deleteIfExists(file)) {
                syncNearestDirectory(file.getParent());
            }
            removeEmptyParents(file.getParent());
        } catch (IOException e) {
            throw new StorageException(key, "delete", "cannot delete " + file + ": " + e, e);
        }
    }

    /**
     * Syncs {@code dir}, or, when a delete in another process removed it once it was empty, the nearest directory
     * above it that is still there: the removal that synced makes this unlink durable too.
     */
    private void syncNearestDirectory(Path dir) throws IOException {
        for (Path d = dir; d != null && d.startsWith(meta); d = d.getParent()) {
            try {
                syncDirectory(d);
                return;
            } catch (NoSuchFileException e) {
                // removed since: try its parent
            }
        }
    }

    private void removeEmptyParents(Path dir) {
        for (Path d = dir; d != null && d.startsWith(meta) && !d.equals(meta); d = d.getParent()) {
            try {
                Files.delete(d);
            } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                return;
            } catch (IOException e) {
                return; // best effort: an empty directory is harmless
            }
        }
    }

    /** The keys with this prefix; listing also removes lock files that killed holders left ({@link LockFiles#sweep()}). */
    @Override
    public List<String> keys(String prefix) {
        StorageKeys.checkPrefix(prefix);
        locks.sweep();
        if (!Files.isDirectory(meta)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(meta)) {
            return walk.filter(this::isRecord)
                    .map(p -> meta.relativize(p).toString())
                    .filter(k -> k.startsWith(prefix))
                    .sorted()
                    .toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new StorageException(prefix, "keys", "cannot list " + meta + ": " + e, e);
        }
    }

    private boolean isRecord(Path p) {
        String name = p.getFileName().toString();
        if (name.startsWith(".")) {
            cleanIfStale(p, name);
            return false;
        }
        return Files.isRegularFile(p);
    }

    private static void cleanIfStale(Path p, String name) {
        if (!name.contains(TMP_MARK)) {
            return;
        }
        try {
            long age = System.currentTimeMillis() - Files.getLastModifiedTime(p).toMillis();
            if (age > STALE_TMP_MILLIS || writerGone(name)) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // another process cleaned it, or it was just renamed
        }
    }

    /** Whether the temp file's name carries the pid of a process that no longer runs. */
    private static boolean writerGone(String name) {
        String rest = name.substring(name.indexOf(TMP_MARK) + TMP_MARK.length());
        int dash = rest.indexOf('-');
        if (dash <= 0 || !rest.substring(0, dash).matches("\\d{1,10}")) {
            return false; // written by an older vcj: only its age tells
        }
        return ProcessHandle.of(Long.parseLong(rest.substring(0, dash))).isEmpty();
    }

    @Override
    public MetadataLock lock(String key, Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            throw new StorageException(String.valueOf(key), "lock", "the timeout must be zero or positive, was " + timeout, null);
        }
        return locks.lock(key, timeout);
    }

    /** Removes temp files older than a minute left by crashed writers. */
    void cleanStaleTempFiles() {
        keys("");
    }

    private Path file(String key, String operation) {
        List<String> segments = StorageKeys.segments(key, operation);
        return meta.resolve(String.join("/", segments));
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort
        }
    }

    @Override
    public String toString() {
        return "fs metadata storage at " + meta;
    }
}
