package org.vcj.support.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * One lock file that exists only while it is held: the holder removes it on release, so that no lock file outlives
 * its use. Protocol (all processes follow it):
 * <ul>
 * <li><b>take</b>: open {@code path} (creating it), {@code flock} it; a file that is empty is valid and held; a file
 * with content was <i>retired</i> by a previous holder (or sweeper) after this process opened it: close it and start
 * again with whatever file {@code path} names now.</li>
 * <li><b>release</b>: while still holding the lock, write one byte (retire), unlink {@code path}, then unlock.</li>
 * </ul>
 * Since only a holder unlinks, and it retires the file first, a waiter can never hold a lock on an unlinked file while
 * another process holds the file that replaced it. A holder killed between retiring and unlinking leaves a retired file
 * at {@code path}; the next taker recognises it (the file it holds is still the one at {@code path}: same file key
 * before opening and after locking) and unlinks it. A holder killed before releasing leaves a valid file that the
 * kernel unlocks: the next taker uses it and removes it on release, or {@link LockFiles#sweep()} removes it.
 */
final class RetiringLockFile {

    private static final ByteBuffer RETIRED = ByteBuffer.wrap(new byte[] {'x'}).asReadOnlyBuffer();

    private final Path path;
    private FileChannel channel;

    private RetiringLockFile(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /**
     * One attempt: the held lock, or null when another process holds it or the file was retired meanwhile (try again).
     *
     * @param create whether to create a missing file (false: a missing file is reported as null, nothing to take)
     */
    static RetiringLockFile tryTake(Path path, boolean create) throws IOException {
        Object before = fileKey(path);
        if (before == null && !create) return null;
        FileChannel ch;
        try {
            ch = create ? FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE)
                    : FileChannel.open(path, StandardOpenOption.WRITE);
        } catch (NoSuchFileException gone) {
            return null; // removed between the look and the open: the caller tries again
        }
        boolean keep = false;
        try {
            FileLock lock = tryLock(ch);
            if (lock == null) return null;
            if (ch.size() == 0) {
                keep = true;
                return new RetiringLockFile(path, ch);
            }
            // Retired. If path still names the file we hold, its holder died before unlinking it: finish for it.
            if (before != null && before.equals(fileKey(path))) Files.deleteIfExists(path);
            return null;
        } finally {
            if (!keep) ch.close();
        }
    }

    /** Whether {@code channel}'s file is locked by another process right now (it may change at once). */
    private static FileLock tryLock(FileChannel ch) throws IOException {
        try {
            return ch.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // another channel of this JVM (another storage instance) holds it
        }
    }

    /** Retires and removes the file, then releases the lock. Idempotent. */
    synchronized void release() throws IOException {
        if (channel == null) return;
        try {
            channel.write(RETIRED.duplicate(), 0);
            Files.deleteIfExists(path);
        } finally {
            channel.close();
            channel = null;
        }
    }

    /** Releases without retiring (used when retiring failed): the file stays, valid and unlocked. */
    synchronized void closeQuietly() {
        if (channel == null) return;
        try {
            channel.close();
        } catch (IOException ignored) {
            // the kernel drops the lock with the descriptor anyway
        }
        channel = null;
    }

    private static Object fileKey(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
