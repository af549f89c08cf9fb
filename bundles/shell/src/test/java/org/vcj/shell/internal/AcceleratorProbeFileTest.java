package org.vcj.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kept KVM probe answers: the last one for this host kernel and guest kernel counts. */
class AcceleratorProbeFileTest {

    @Test
    void theLastAnswerForThisHostAndKernelIsTaken(@TempDir Path dir) throws Exception {
        String host = "host " + System.getProperty("os.version");
        Path f = Files.write(dir.resolve("vcj-accel.probe"), List.of("kvm " + host + " /usr/bin/qemu:1:2 /g/vmlinux:3:4",
                "tcg host 0.0-other /usr/bin/qemu:1:2 /g/vmlinux:3:4", "garbage", "tcg " + host + " /usr/bin/qemu:1:2 /g/vmlinux:5:6"));
        assertEquals("tcg", AcceleratorProbeFile.lastAnswer(f, "/g/vmlinux"));
        assertNull(AcceleratorProbeFile.lastAnswer(f, "/other/vmlinux"));
        assertNull(AcceleratorProbeFile.lastAnswer(dir.resolve("none"), "/g/vmlinux"));
    }
}
