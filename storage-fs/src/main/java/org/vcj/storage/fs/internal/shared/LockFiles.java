package org.vcj.storage.fs.internal.shared;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.vcj.api.StorageException;
import org.vcj.api.storage.MetadataLock;

/**
 * Exclusive locks on metadata keys across threads (a semaphore per lock file) and processes
 * ({@link FileChannel#tryLock()} on {@code <locksDir>/<key>.lock}). Lock files stay on disk; the kernel
 * releases a dead process's lock. Not reentrant: a thread that locks a key twice waits for itself.
 */
public final class LockFiles {
    private static final ConcurrentMap<Path, Semaphore> IN_JVM = new ConcurrentHashMap<>();
    private final Path locksDir;

    /** @param locksDir e.g. {@code <root>/locks} */
    public LockFiles(Path locksDir) {
        this.locksDir = locksDir;
    }

    /** Takes the lock on {@code key}, waiting up to {@code timeout}. */
    public MetadataLock lock(String key, Duration timeout) {
        List<String> segments = StorageKeys.segments(key, "lock");
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        Path file = locksDir.resolve(String.join("/", segments) + ".lock").toAbsolutePath().normalize();
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
            return fileLock(key, file, deadline, timeout, local);
        } catch (RuntimeException | Error e) {
            local.release();
            throw e;
        }
    }

    private MetadataLock fileLock(String key, Path file, long deadline, Duration timeout, Semaphore local) {
        FileChannel channel = open(key, file);
        try {
            long backoffMillis = 2;
            while (true) {
                FileLock held = tryLock(channel);
                if (held != null) {
                    return new Held(channel, local);
                }
                if (remaining(deadline) <= 0) {
                    throw timedOut(key, timeout, "another process (see `lslocks | grep " + file.getFileName() + "`)");
                }
                Thread.sleep(Math.min(backoffMillis, Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining(deadline)))));
                backoffMillis = Math.min(100, backoffMillis * 2);
            }
        } catch (InterruptedException e) {
            closeQuietly(channel);
            Thread.currentThread().interrupt();
            throw new StorageException(key, "lock", "interrupted while waiting for the lock", e);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StorageException(key, "lock", "cannot lock " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // another storage instance in this JVM (another bundle) holds it
        }
    }

    private static FileChannel open(String key, Path file) {
        try {
            FsPaths.createDirectories(file.getParent());
            return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new StorageException(key, "lock", "cannot open lock file " + file + ": " + e.getMessage()
                    + "; check that the state root is writable", e);
        }
    }

    private static StorageException timedOut(String key, Duration timeout, String holder) {
        return new StorageException(key, "lock", "still held by " + holder + " after " + timeout.toMillis()
                + " ms; another vcj operation on this record is running: wait for it to finish and retry", null);
    }

    private static long remaining(long deadline) {
        return deadline - System.nanoTime();
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    /** A held lock; closing the channel releases the file lock. */
    private static final class Held implements MetadataLock {
        private final FileChannel channel;
        private final Semaphore local;
        private boolean closed;

        Held(FileChannel channel, Semaphore local) {
            this.channel = channel;
            this.local = local;
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            closeQuietly(channel);
            local.release();
        }
    }
}
