package org.vcj.launcher;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The socket of the one vcj shim service of a state root: {@code ROOT/shim.sock}, or, when that path is too long for
 * a Unix socket (108 bytes), {@code /tmp/vcj-s-USER/shim-HASH12.sock} (HASH12: the SHA-256 of the root). Depends on
 * the root only, so every {@code start} for that root finds the same service.
 */
final class ShimSocketNaming {
    /** The longest socket path used as it is (bytes). */
    static final int MAX_BYTES = 100;

    private ShimSocketNaming() { }

    static Path socket(Path root) {
        Path p = root.toAbsolutePath().normalize().resolve("shim.sock");
        if (p.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES) return p;
        return Path.of("/tmp", "vcj-s-" + System.getProperty("user.name", "user"), "shim-" + hash12(root) + ".sock");
    }

    private static String hash12(Path root) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(root.toAbsolutePath().normalize().toString()
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
