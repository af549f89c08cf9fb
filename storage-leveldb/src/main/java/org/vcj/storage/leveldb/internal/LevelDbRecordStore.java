package org.vcj.storage.leveldb.internal;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.fusesource.leveldbjni.JniDBFactory;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.Options;
import org.iq80.leveldb.WriteOptions;
import org.vcj.api.StorageException;
import org.vcj.api.storage.MetadataLock;
import org.vcj.api.storage.MetadataStorage;
import org.vcj.support.storage.FsPaths;
import org.vcj.support.storage.LockFiles;
import org.vcj.support.storage.StorageKeys;

/**
 * Metadata records in a LevelDB at {@code <root>/leveldb}. LevelDB admits one opener per directory,
 * so the database is opened for each operation and closed after it: in this JVM opens are
 * serialized; when another process holds the DB the open is retried with backoff up to
 * {@code openTimeout}. Writes are synchronous ({@code sync=true}).
 */
public final class LevelDbRecordStore implements MetadataStorage {
    private static final Map<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();
    private static final WriteOptions SYNC = new WriteOptions().sync(true);
    private final Path dbDir;
    private final Duration openTimeout;
    private final LockFiles locks;

    /**
     * @param root        the state root; the DB is {@code <root>/leveldb}, locks {@code <root>/locks}
     * @param openTimeout how long to wait for another process to release the DB
     */
    public LevelDbRecordStore(Path root, Duration openTimeout) {
        this.dbDir = root.resolve("leveldb").toAbsolutePath().normalize();
        this.openTimeout = openTimeout;
        this.locks = new LockFiles(root.resolve("locks").toAbsolutePath());
    }

    /** An operation on the open DB. */
    private interface DbOp<T> {
        T apply(DB db) throws IOException;
    }

    @Override
    public void save(String key, byte[] value) {
        byte[] k = key(key, "save");
        if (value == null) {
            throw new StorageException(key, "save", "the value must not be null; use delete to remove a record", null);
        }
        withDb(key, "save", db -> {
            db.put(k, value, SYNC);
            return null;
        });
    }

    @Override
    public Optional<byte[]> load(String key) {
        byte[] k = key(key, "load");
        return withDb(key, "load", db -> Optional.ofNullable(db.get(k)));
    }

    @Override
    public void delete(String key) {
        byte[] k = key(key, "delete");
        withDb(key, "delete", db -> {
            db.delete(k, SYNC);
            return null;
        });
    }

    /** The keys with this prefix; listing also removes lock files that killed holders left ({@link LockFiles#sweep()}). */
    @Override
    public List<String> keys(String prefix) {
        StorageKeys.checkPrefix(prefix);
        locks.sweep();
        return withDb(prefix, "keys", db -> {
            List<String> keys = new ArrayList<>();
            try (DBIterator it = db.iterator()) {
                it.seek(prefix.getBytes(StandardCharsets.UTF_8));
                while (it.hasNext()) {
                    String k = new String(it.next().getKey(), StandardCharsets.UTF_8);
                    if (!k.startsWith(prefix)) {
                        break;
                    }
                    keys.add(k);
                }
            }
            return keys;
        });
    }

    @Override
    public MetadataLock lock(String key, Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            throw new StorageException(String.valueOf(key), "lock", "the timeout must be zero or positive, was " + timeout, null);
        }
        return locks.lock(key, timeout);
    }

    private static byte[] key(String key, String operation) {
        StorageKeys.segments(key, operation);
        return key.getBytes(StandardCharsets.UTF_8);
    }

    private <T> T withDb(String key, String operation, DbOp<T> op) {
        ReentrantLock local = IN_JVM.computeIfAbsent(dbDir, d -> new ReentrantLock(true));
        long deadline = System.nanoTime() + openTimeout.toNanos();
        try {
            if (!local.tryLock(openTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw busy(key, operation, "other threads of this process", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException(key, operation, "interrupted while waiting for " + dbDir, e);
        }
        try (DB db = open(key, operation, deadline)) {
            return op.apply(db);
        } catch (IOException | RuntimeException e) {
            if (e instanceof StorageException se) {
                throw se;
            }
            throw new StorageException(key, operation, "LevelDB at " + dbDir + " failed: " + e, e);
        } finally {
            local.unlock();
        }
    }

    private DB open(String key, String operation, long deadline) throws IOException {
        FsPaths.createDirectories(dbDir);
        Options options = new Options().createIfMissing(true);
        File dir = dbDir.toFile();
        long backoffMillis = 2;
        while (true) {
            try {
                return JniDBFactory.factory.open(dir, options);
            } catch (IOException e) {
                if (!isLockHeld(e)) {
                    throw e;
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw busy(key, operation, "another process", e);
                }
                sleep(Math.min(backoffMillis, left), key, operation);
                backoffMillis = Math.min(50, backoffMillis * 2);
            }
        }
    }

    private static boolean isLockHeld(IOException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("lock") && (m.contains("temporarily unavailable") || m.contains("already held"));
    }

    private static void sleep(long millis, String key, String operation) {
        try {
            Thread.sleep(Math.max(1, millis));
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new StorageException(key, operation, "interrupted while waiting for the LevelDB lock", ie);
        }
    }

    private StorageException busy(String key, String operation, String holder, Throwable cause) {
        return new StorageException(key, operation, "the LevelDB at " + dbDir + " stayed open by " + holder + " for more than "
                + openTimeout.toMillis() + " ms; retry, and if it persists find the holder with `fuser " + dbDir.resolve("LOCK")
                + "` (a stuck vcj process)", cause);
    }

    @Override
    public String toString() {
        return "leveldb metadata storage at " + dbDir;
    }
}
