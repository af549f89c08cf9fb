package org.vcj.launcher;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.vcj.support.fs.FileTrees;

/**
 * The Felix bundle cache a launcher runs on. Installing the bundles into an empty cache, and unpacking the jars that
 * bundles embed (gRPC and Netty in the agent client: several MB), was about 40 % of a CLI call; so a cache is kept
 * between calls, in one of {@value #SLOTS} slots per installation under {@code <tmp>/vcj-felix-u<uid>/} (a directory
 * of the user's own, mode 0700, refused when it is anybody else's). A slot is used by one launcher at a time (a file
 * lock), and is reused only when the launcher before wrote its {@value #CLEAN} marker after a clean stop: a launcher
 * killed meanwhile leaves no marker, and the next one empties the slot first. The slot's name holds a digest of the
 * installation (its path, {@code lib/} and {@code bundle/}: names, sizes, times; the JDK's version), so a rebuilt or
 * upgraded installation never meets the cache of another. A call that finds every slot busy, or a distribution with
 * drop-in plugins in {@code plugins/} (File Install manages those bundles, and persists them), gets a throw-away
 * cache as before, removed at its end.
 */
final class FelixCache implements AutoCloseable {

    static final int SLOTS = 4;
    static final String CLEAN = "clean";
    private static final String TEMP_PREFIX = "vcj-felix-";

    private final Path dir;
    private final boolean reused;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private FelixCache(Path dir, boolean reused, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.reused = reused;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** A kept slot for this installation when one is free and usable, else a throw-away cache. */
    static FelixCache acquire(Path home, Path tmp) throws IOException {
        if (!hasPlugins(home)) {
            Path base = ownBase(tmp);
            if (base != null) {
                String key = key(home);
                pruneOthers(base, key);
                for (int k = 0; k < SLOTS; k++) {
                    FelixCache slot = trySlot(base.resolve(key + "-" + k));
                    if (slot != null) return slot;
                }
            }
        }
        removeCachesOfDeadLaunchers(tmp);
        return new FelixCache(Files.createTempDirectory(tmp, TEMP_PREFIX + ProcessHandle.current().pid() + "-"), false, null, null);
    }

    Path dir() {
        return dir;
    }

    /** True when the bundles are already installed (and unpacked) in it. */
    boolean reused() {
        return reused;
    }

    /** True when the cache outlives this launcher. */
    boolean kept() {
        return lock != null;
    }

    /**
     * Ends its use: a kept slot gets its {@value #CLEAN} marker when {@code clean} (the framework stopped with only
     * the installation's bundles), else it is emptied; a throw-away cache is removed.
     */
    void release(boolean clean) {
        try {
            if (lock == null) {
                delete(dir);
            } else if (clean) {
                Files.writeString(dir.resolve(CLEAN), "", StandardCharsets.UTF_8);
            } else {
                delete(dir);
            }
        } catch (IOException e) {
            delete(dir);  // a slot without its marker is emptied by the next launcher anyway
        } finally {
            close();
        }
    }

    @Override
    public void close() {
        try {
            if (lock != null) lock.release();
            if (lockChannel != null) lockChannel.close();
        } catch (IOException ignored) {
            // the lock goes with the process
        }
    }

    private static FelixCache trySlot(Path slot) throws IOException {
        FileChannel channel = FileChannel.open(Path.of(slot + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException sameJvm) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            return null;
        }
        boolean clean = Files.isRegularFile(slot.resolve(CLEAN), LinkOption.NOFOLLOW_LINKS);
        if (clean) {
            Files.delete(slot.resolve(CLEAN));   // in use: a launcher killed from now on leaves it to be emptied
        } else {
            delete(slot);
        }
        Files.createDirectories(slot);
        return new FelixCache(slot, clean, channel, lock);
    }

    /** {@code <tmp>/vcj-felix-u<uid>}, made 0700; null when it is not a directory of this user's alone. */
    static Path ownBase(Path tmp) {
        try {
            long uid = new com.sun.security.auth.module.UnixSystem().getUid();
            Path base = tmp.resolve(TEMP_PREFIX + "u" + uid);
            try {
                Files.createDirectory(base, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (java.nio.file.FileAlreadyExistsException made) {
                // by an earlier launcher (or by somebody else: checked next)
            }
            if (!Files.isDirectory(base, LinkOption.NOFOLLOW_LINKS)) return null;
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(base, LinkOption.NOFOLLOW_LINKS);
            boolean mine = ((Integer) Files.getAttribute(base, "unix:uid", LinkOption.NOFOLLOW_LINKS)) == uid;
            return mine && perms.equals(PosixFilePermissions.fromString("rwx------")) ? base : null;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | LinkageError e) {
            return null;
        }
    }

    /** A digest of what the cache depends on: the installation's path, its {@code lib/} and {@code bundle/}, the JDK. */
    static String key(Path home) throws IOException {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update((home.toAbsolutePath() + "\n" + Runtime.version() + "\n").getBytes(StandardCharsets.UTF_8));
            for (String sub : List.of("lib", "bundle")) {
                try (Stream<Path> files = Files.list(home.resolve(sub))) {
                    for (Path f : files.sorted().toList()) {
                        d.update((f.getFileName() + " " + Files.size(f) + " " + Files.getLastModifiedTime(f).toMillis() + "\n")
                                .getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
            return HexFormat.of().formatHex(d.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JDK", e);
        }
    }

    /**
     * Empties the slots of other digests (an installation rebuilt or upgraded since) that nobody uses now; their
     * lock files stay (a few bytes), since removing one another launcher has open would let two use one slot.
     */
    private static void pruneOthers(Path base, String key) throws IOException {
        try (Stream<Path> entries = Files.list(base)) {
            for (Path slot : entries.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                    && !p.getFileName().toString().startsWith(key + "-")).toList()) {
                try (FileChannel channel = FileChannel.open(Path.of(slot + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                    FileLock lock = channel.tryLock();
                    if (lock != null) {
                        delete(slot);
                        lock.release();
                    }
                } catch (OverlappingFileLockException sameJvm) {
                    // in use by this JVM
                }
            }
        }
    }

    /**
     * A launcher stopped by a signal (Ctrl-C) exits without closing its framework, since the CLI's own shutdown hooks may
     * still need the framework; its throw-away cache, named after its pid, is removed by the next launcher instead (a kept slot has no marker then, and is emptied by the next launcher that takes it). Every vcj
     * launcher on the machine does this in the same temp dir, so several may remove the same tree at once: files
     * that vanish meanwhile are no error.
     */
    static void removeCachesOfDeadLaunchers(Path tmp) {
        try (Stream<Path> dirs = Files.list(tmp)) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().startsWith(TEMP_PREFIX)).toList()) {
                String[] parts = dir.getFileName().toString().substring(TEMP_PREFIX.length()).split("-", 2);
                if (parts.length == 2 && parts[0].matches("\\d{1,10}")
                        && ProcessHandle.of(Long.parseLong(parts[0])).isEmpty()) {
                    delete(dir);
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // not ours to fix: leftovers in a temp dir are harmless
        }
    }

    /** True when {@code <home>/plugins} has something for File Install (anything but dot files such as its .keep). */
    static boolean hasPlugins(Path home) {
        try (Stream<Path> files = Files.list(home.resolve("plugins"))) {
            return files.anyMatch(f -> !f.getFileName().toString().startsWith("."));   // not its .keep
        } catch (IOException e) {
            return false;
        }
    }

    private static void delete(Path dir) {
        try {
            FileTrees.delete(dir);
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // removed meanwhile by another launcher, or left for the system to clean: a temp dir either way
        }
    }
}
