package org.vcj.hypervisor.qemu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe with a stand-in for QEMU (a script that writes what a guest's /init would print to the console file it
 * is given, or nothing) and for {@code /dev/kvm} (a file the test may read and write, or not): KVM only when a guest
 * reached /init, and the answer remembered until what it depends on changes. Runs on any host, with or without KVM.
 */
class KvmProbeTest {

    @TempDir Path dir;
    private Path qemu;
    private Path mode;
    private Path device;
    private Path runs;

    @BeforeEach
    void fakeQemu() throws Exception {
        mode = dir.resolve("mode");
        device = Files.writeString(dir.resolve("kvm"), "");
        runs = dir.resolve("runs");
        qemu = dir.resolve("qemu");
        Files.writeString(qemu, """
                #!/bin/sh
                echo run >> %s
                for a in "$@"; do case $a in file:*) console=${a#file:};; esac; done
                if [ "$(cat %s)" = boots ]; then printf 'vcj-init: started 0.9\\n' > "$console"; fi
                exec sleep 30
                """.formatted(runs, mode));
        Files.setPosixFilePermissions(qemu, PosixFilePermissions.fromString("rwx------"));
        Files.writeString(dir.resolve("vmlinux"), "kernel");
    }

    private KvmProbe probe() {
        return new KvmProbe(dir.resolve("cache"), qemu.toString(), dir.resolve("vmlinux"), dir.resolve("initrd"),
                Duration.ofSeconds(2), device);
    }

    private long qemuRuns() throws Exception {
        return Files.exists(runs) ? Files.readAllLines(runs).size() : 0;
    }

    @Test
    void aGuestThatReachesInitMeansKvmAndTheAnswerIsRemembered() throws Exception {
        Files.writeString(mode, "boots");
        assertEquals("kvm", probe().accelerator());
        assertTrue(Files.readString(dir.resolve("cache")).startsWith("kvm host "));
        Files.writeString(mode, "hangs");
        long start = System.nanoTime();
        assertEquals("kvm", probe().accelerator(), "remembered, not probed again");
        assertTrue(System.nanoTime() - start < 1_000_000_000L, "no second boot");
        assertEquals(1, qemuRuns(), "QEMU was started once");
    }

    @Test
    void aHostWithoutAUsableKvmDeviceIsTcgWithoutABoot() throws Exception {
        Files.writeString(mode, "boots");
        Files.delete(device);
        assertEquals("tcg", probe().accelerator());
        assertEquals(0, qemuRuns(), "no QEMU started without a KVM device");
        assertTrue(Files.readString(dir.resolve("cache")).startsWith("tcg host "));
    }

    @Test
    void aGuestThatHangsMeansTcgAndANewKernelIsProbedAgain() throws Exception {
        Files.writeString(mode, "hangs");
        assertEquals("tcg", probe().accelerator());
        java.nio.file.attribute.FileTime firstKernel = Files.getLastModifiedTime(dir.resolve("vmlinux"));
        Files.writeString(mode, "boots");
        assertEquals("tcg", probe().accelerator(), "remembered");
        Files.writeString(dir.resolve("vmlinux"), "another kernel");
        assertEquals("kvm", probe().accelerator(), "the key changed: probed again");
        Files.writeString(mode, "hangs");
        assertEquals("kvm", probe().accelerator(), "the new kernel's answer is remembered");
        Files.writeString(dir.resolve("vmlinux"), "kernel");
        Files.setLastModifiedTime(dir.resolve("vmlinux"), firstKernel);
        assertEquals("tcg", probe().accelerator(), "so is the first kernel's, next to it");
        assertEquals(2, Files.readAllLines(dir.resolve("cache")).size());
        assertEquals(2, qemuRuns(), "one boot per kernel");
    }
}
