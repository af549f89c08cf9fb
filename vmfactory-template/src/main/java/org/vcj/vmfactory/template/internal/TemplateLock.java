package org.vcj.vmfactory.template.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.vcj.api.HypervisorException;

/**
 * The template store's lock, held across threads and processes while a template is made or removed. A lock file
 * may be deleted by its holder (destroy leaves nothing): a waiter that then gets the lock of a deleted file sees
 * that the path no longer names the file it locked and tries again.
 */
final class TemplateLock implements AutoCloseable {

    private static final ReentrantLock IN_PROCESS = new ReentrantLock();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private TemplateLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    static TemplateLock acquire(Path file, Duration timeout) {
        try {
            if (!IN_PROCESS.tryLock(timeout.toMillis(), TimeUnit.MILLISECONDS)) throw busy(file, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HypervisorException(null, "template lock", "interrupted while waiting for " + file, e);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            Files.createDirectories(file.getParent());
            while (true) {
                FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock l = ch.tryLock();
                if (l != null && sameFile(ch, file)) return new TemplateLock(file, ch, l);
                ch.close();
                if (System.nanoTime() > deadline) throw busy(file, timeout);
                Thread.sleep(100);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            IN_PROCESS.unlock();
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            if (e instanceof HypervisorException he) throw he;
            throw new HypervisorException(null, "template lock", "cannot lock " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether the locked channel is still the file at {@code path}, not one its holder deleted meanwhile: writes a
     * token of its own through the channel and reads it back through the path.
     */
    private static boolean sameFile(FileChannel ch, Path path) throws IOException {
        byte[] token = (ProcessHandle.current().pid() + ":" + System.nanoTime() + ":" + Math.random()).getBytes(StandardCharsets.US_ASCII);
        ch.truncate(0);
        ch.write(ByteBuffer.wrap(token), 0);
        try {
            return Arrays.equals(token, Files.readAllBytes(path));
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** Deletes the lock file while holding it (only when removing everything). */
    void deleteFile() throws IOException {
        Files.deleteIfExists(file);
    }

    private static HypervisorException busy(Path file, Duration timeout) {
        return new HypervisorException(null, "template lock", "another vcj has held " + file + " for " + timeout
                + " (making or destroying a template); try again when it is done", null);
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // closing releases the lock anyway
        } finally {
            IN_PROCESS.unlock();
        }
    }
}
