package org.vcj.support.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.vcj.api.StorageException;
import org.vcj.api.storage.MetadataLock;

/**
 * Exclusive locks on metadata keys across threads (a semaphore per lock file) and processes
 * ({@code flock} on {@code <locksDir>/<key>.lock}, see {@link RetiringLockFile}). A lock file exists only while its
 * lock is held: releasing removes it, and {@link #sweep()} removes those that holders killed with SIGKILL left behind
 * (the kernel has released their locks). Not reentrant: a thread that locks a key twice waits for itself. Thread-safe.
 */
public final class LockFiles {
    private static final ConcurrentMap<Path, Semaphore> IN_JVM = new ConcurrentHashMap<>();
    private static final String SUFFIX = ".lock";
    private final Path locksDir;

    /** @param locksDir e.g. {@code <root>/locks} */
    public LockFiles(Path locksDir) {
        this.locksDir = locksDir.toAbsolutePath().normalize();
    }

    /** Takes the lock on {@code key}, waiting up to {@code timeout}. */
    public MetadataLock lock(String key, Duration timeout) {
        List<String> segments = StorageKeys.segments(key, "lock");
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        Path file = locksDir.resolve(String.join("/", segments) + SUFFIX).normalize();
        Semaphore local = IN_JVM.computeIfAbsent(file, f -> new Semaphore(1, true));
        try {
            if (!local.tryAcquire(remaining(deadline), TimeUnit.NANOSECONDS)) {
                throw timedOut(key, timeout, "another thread of this process");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException(key, "lock", "interrupted while waiting for the lock", e);
        }
        try {
            return new Held(key, fileLock(key, file, deadline, timeout), local);
        } catch (RuntimeException | Error e) {
            local.release();
            throw e;
        }
    }

    private static RetiringLockFile fileLock(String key, Path file, long deadline, Duration timeout) {
        try {
            long backoffMillis = 2;
            while (true) {
                RetiringLockFile held = take(key, file);
                if (held != null) return held;
                if (remaining(deadline) <= 0) {
                    throw timedOut(key, timeout, "another process (see `lslocks | grep " + file.getFileName() + "`)");
                }
                Thread.sleep(Math.min(backoffMillis, Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining(deadline)))));
                backoffMillis = Math.min(100, backoffMillis * 2);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException(key, "lock", "interrupted while waiting for the lock", e);
        } catch (IOException e) {
            throw new StorageException(key, "lock", "cannot lock " + file + ": " + e.getMessage()
                    + "; check that the state root is writable", e);
        }
    }

    private static RetiringLockFile take(String key, Path file) throws IOException {
        try {
            FsPaths.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new StorageException(key, "lock", "cannot create " + file.getParent() + ": " + e.getMessage()
                    + "; check that the state root is writable", e);
        }
        return RetiringLockFile.tryTake(file, true);
    }

    /**
     * Removes every lock file that nobody holds (left by a holder that was killed): each is taken without waiting and
     * released at once. Files held by a thread of this JVM or by another process are left alone. Returns how many
     * were removed; errors are skipped (a later sweep retries).
     */
    public int sweep() {
        if (!Files.isDirectory(locksDir)) return 0;
        List<Path> files;
        try (Stream<Path> walk = Files.walk(locksDir)) {
            files = walk.filter(p -> p.getFileName().toString().endsWith(SUFFIX) && Files.isRegularFile(p)).toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0; // a directory vanished under the walk: the next sweep sees a stable tree
        }
        int removed = 0;
        for (Path file : files) {
            Semaphore local = IN_JVM.computeIfAbsent(file, f -> new Semaphore(1, true));
            if (!local.tryAcquire()) continue;
            try {
                RetiringLockFile held = RetiringLockFile.tryTake(file, false);
                if (held != null) {
                    held.release();
                    removed++;
                }
            } catch (IOException e) {
                // held by someone who removes it, or unreadable: a later sweep retries
            } finally {
                local.release();
            }
        }
        return removed;
    }

    private static StorageException timedOut(String key, Duration timeout, String holder) {
        return new StorageException(key, "lock", "still held by " + holder + " after " + timeout.toMillis()
                + " ms; another vcj operation on this record is running: wait for it to finish and retry", null);
    }

    private static long remaining(long deadline) {
        return deadline - System.nanoTime();
    }

    /** A held lock; closing it removes the lock file and releases the lock. */
    private static final class Held implements MetadataLock {
        private static final System.Logger LOG = System.getLogger(LockFiles.class.getName());
        private final String key;
        private final RetiringLockFile file;
        private final Semaphore local;
        private boolean closed;

        Held(String key, RetiringLockFile file, Semaphore local) {
            this.key = key;
            this.file = file;
            this.local = local;
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                file.release();
            } catch (IOException e) {
                file.closeQuietly();
                LOG.log(System.Logger.Level.WARNING, "lock of " + key + " released, its file stays: " + e.getMessage());
            } finally {
                local.release();
            }
        }
    }
}
