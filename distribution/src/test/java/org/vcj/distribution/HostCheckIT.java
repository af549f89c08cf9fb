package org.vcj.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vcj check} on this host (QEMU and the built guest: it passes), and with a PATH that holds every host tool
 * but QEMU (it fails and says why, naming the mock); {@code vcj env} shows the default hypervisor. Starts no VM.
 */
class HostCheckIT {

    @TempDir Path tmp;

    @Test
    void checkPassesOnThisHostAndFailsWithAReasonWithoutQemu() throws Exception {
        Cli cli = new Cli(tmp.resolve("root"), "fs");
        Cli.Result here = cli.run("check");
        assertEquals(0, here.code(), here.out() + here.err());
        assertTrue(here.out().lines().anyMatch(l -> l.matches("ok +qemu +/.*QEMU emulator version.*")), here.out());
        assertTrue(here.out().lines().anyMatch(l -> l.matches("ok +accelerator +(kvm|tcg|not probed).*")), here.out());
        assertTrue(here.out().contains("a QEMU sandbox can run on this host"), here.out());

        Cli.Result hidden = cli.withEnv(Map.of("PATH", pathWithoutQemu().toString())).run("check");
        assertEquals(1, hidden.code(), hidden.out() + hidden.err());
        assertTrue(hidden.out().lines().anyMatch(l -> l.matches("FAIL +qemu +qemu-system-x86_64 is not on PATH.*")), hidden.out());
        assertTrue(hidden.err().contains("missing: qemu") && hidden.err().contains("--hypervisor=mock"), hidden.err());
    }

    @Test
    void envShowsQemuAsTheDefaultAndTheOptionOverIt() throws Exception {
        Cli cli = new Cli(tmp.resolve("root"), "fs");
        Cli.Result plain = cli.run("env");
        assertEquals(0, plain.code(), plain.err());
        assertTrue(plain.out().lines().anyMatch(l -> l.matches("hypervisor +qemu +default")), plain.out());
        assertTrue(plain.out().lines().anyMatch(l -> l.matches("state root +" + tmp.resolve("root"))), plain.out());
        Cli.Result mock = cli.run("env", "--hypervisor=mock");
        assertTrue(mock.out().lines().anyMatch(l -> l.matches("hypervisor +mock +option --hypervisor")), mock.out());
    }

    /** A directory of links to every executable of the usual PATH directories except QEMU's emulators. */
    private Path pathWithoutQemu() throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        for (String dir : new String[] {"/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin"}) {
            if (!Files.isDirectory(Path.of(dir))) continue;
            try (Stream<Path> files = Files.list(Path.of(dir))) {
                for (Path f : files.toList()) {
                    Path link = bin.resolve(f.getFileName().toString());
                    if (!f.getFileName().toString().startsWith("qemu-system") && Files.isExecutable(f) && !Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        Files.createSymbolicLink(link, f);
                    }
                }
            }
        }
        return bin;
    }
}
