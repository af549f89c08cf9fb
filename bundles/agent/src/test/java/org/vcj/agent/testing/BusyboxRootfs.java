package org.vcj.agent.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Builds a minimal container root filesystem from the host's static busybox (/bin/busybox,
 * package busybox-static). Reusable by any module's tests (vcj-agent test-jar, package
 * org.vcj.agent.testing).
 */
public final class BusyboxRootfs {
    /** Applets linked into bin/. */
    public static final List<String> APPLETS = List.of("sh", "echo", "cat", "sleep", "ls", "ps", "uname", "true",
            "false", "id", "env", "hostname", "kill", "head", "dd", "mkdir", "rm", "touch", "wc");

    private BusyboxRootfs() {
    }

    /** Creates {@code dir} (bin, proc, sys, dev, etc, tmp) with busybox and applet links; returns it. */
    public static Path build(Path dir) throws IOException {
        Path busybox = Path.of("/bin/busybox");
        if (!Files.isExecutable(busybox)) {
            throw new IOException("/bin/busybox not found: install busybox-static");
        }
        for (String d : List.of("bin", "proc", "sys", "dev", "etc", "tmp", "root")) {
            Files.createDirectories(dir.resolve(d));
        }
        Files.copy(busybox, dir.resolve("bin/busybox"), StandardCopyOption.REPLACE_EXISTING);
        for (String a : APPLETS) {
            Path link = dir.resolve("bin").resolve(a);
            if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(link, Path.of("busybox"));
            }
        }
        Files.writeString(dir.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Files.writeString(dir.resolve("etc/group"), "root:x:0:\n");
        return dir;
    }
}
