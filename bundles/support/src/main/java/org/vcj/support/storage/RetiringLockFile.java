package org.vcj.support.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.UUID;

/**
 * One lock file that exists only while it is held: the holder removes it on release, so that no lock file outlives
 * its use. Protocol (all processes follow it):
 * <ul>
 * <li><b>take</b>: open {@code path} (creating it), {@code flock} it; a file that is empty is valid and held; a file
 * with content was <i>retired</i> by a previous holder (or sweeper) after this process opened it: close it and start
 * again with whatever file {@code path} names now.</li>
 * <li><b>release</b>: while still holding the lock, write a token no other file gets (retire), unlink {@code path},
 * then unlock.</li>
 * </ul>
 * Since only a holder unlinks, and it retires the file first, a waiter can never hold a lock on an unlinked file while
 * another process holds the file that replaced it. A holder killed between retiring and unlinking leaves a retired file
 * at {@code path}; the next taker recognises it (the file at {@code path} has the very token of the retired file it
 * holds, so it is that file, and nobody else can unlink it meanwhile) and unlinks it. File keys (inode numbers) are
 * not used for that: an inode freed by one release is reused by the next file at once, so "same key as before opening"
 * does not prove "same file". A holder killed before releasing leaves a valid file that the kernel unlocks: the next
 * taker uses it and removes it on release, or {@link LockFiles#sweep()} removes it.
 */
final class RetiringLockFile {

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
        FileChannel ch;
        try {
            ch = create ? FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)
                    : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (NoSuchFileException gone) {
            return null; // missing (and not to be created), or removed meanwhile: the caller tries again if it wants
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
            if (Arrays.equals(token(ch), contentOf(path))) Files.deleteIfExists(path);
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
            channel.write(ByteBuffer.wrap(UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII)), 0);
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

    /** The retired file's token (it is short: a UUID, or one byte from older releases). */
    private static byte[] token(FileChannel ch) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(ch.size(), 64));
        while (buf.hasRemaining() && ch.read(buf, buf.position()) > 0) {
            // read on
        }
        return Arrays.copyOf(buf.array(), buf.position());
    }

    private static byte[] contentOf(Path path) throws IOException {
        try {
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
