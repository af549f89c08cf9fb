package org.vcj.support.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Unix socket paths that fit the kernel's limit (108 bytes with the final NUL) whatever the length of the state
 * root or of the sandbox id. A socket whose path is short enough is used as it is; for a longer one the socket's
 * directory is reached through a short symbolic link, {@code /tmp/vcj-s-USER/HASH12} (HASH12: the first 12 hex digits
 * of the SHA-256 of the directory), so the socket file itself still lives in its own directory and is removed with
 * it. {@link #release} removes the link.
 */
public final class UnixSocketPaths {
    /** The longest socket path used as it is (bytes); sun_path holds 107 and a margin is kept. */
    public static final int MAX_BYTES = 100;

    private UnixSocketPaths() { }

    /** The directory of the short links: {@code /tmp/vcj-s-USER}. */
    public static Path linkDir() {
        return Path.of("/tmp", "vcj-s-" + System.getProperty("user.name", "user"));
    }

    /**
     * The path to bind or connect to for {@code socket}: {@code socket} when it is short enough, else the same file
     * name through the short link to its directory (created or repaired here).
     *
     * @throws UncheckedIOException when the link cannot be made
     */
    public static Path shortPath(Path socket) {
        Path abs = socket.toAbsolutePath();
        if (abs.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES) return abs;
        Path dir = abs.getParent();
        Path link = linkOf(dir);
        try {
            Files.createDirectories(link.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            String owner = Files.getOwner(link.getParent()).getName();
            if (!owner.equals(System.getProperty("user.name"))) {
                throw new IOException(link.getParent() + " belongs to " + owner + ", not to " + System.getProperty("user.name"));
            }
            if (!pointsTo(link, dir)) {
                Files.deleteIfExists(link);
                try {
                    Files.createSymbolicLink(link, dir);
                } catch (FileAlreadyExistsException raced) {
                    if (!pointsTo(link, dir)) throw raced;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the short link " + link + " to " + dir + " for socket " + abs, e);
        }
        return link.resolve(abs.getFileName());
    }

    /** Removes the short link of directory {@code dir}, if there is one pointing to it; what is gone is fine. */
    public static void release(Path dir) {
        Path link = linkOf(dir.toAbsolutePath());
        try {
            if (pointsTo(link, dir.toAbsolutePath())) Files.deleteIfExists(link);
        } catch (IOException e) {
            // a link left behind points nowhere once dir is gone, and the next shortPath of dir replaces it
        }
    }

    /** The short link that stands for directory {@code dir}. */
    public static Path linkOf(Path dir) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(dir.toString().getBytes(StandardCharsets.UTF_8));
            return linkDir().resolve(HexFormat.of().formatHex(d, 0, 6));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static boolean pointsTo(Path link, Path dir) throws IOException {
        return Files.isSymbolicLink(link) && Files.readSymbolicLink(link).equals(dir);
    }
}
