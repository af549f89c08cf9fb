package org.vcj.hypervisor.qemu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vcj.api.HypervisorConfig;
import org.vcj.api.InvalidConfigException;

class GuestFilesTest {

    @Test
    void aMissingEmulatorSaysSoAndNamesTheMock(@TempDir Path dir) {
        HypervisorConfig hc = HypervisorConfig.builder().hypervisorPath(dir.resolve("qemu-system-x86_64").toString()).build();
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> new GuestFiles(dir.toString(), QemuSettings.DEFAULTS).qemu(hc));
        assertTrue(e.getMessage().contains("QEMU is not installed"), e.getMessage());
        assertTrue(e.getMessage().contains("--hypervisor=mock"), e.getMessage());
    }

    @Test
    void aMissingGuestSaysHowToBuildItAndNamesTheMock(@TempDir Path dir) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> new GuestFiles(dir.toString(), QemuSettings.DEFAULTS).kernel(HypervisorConfig.DEFAULT));
        assertTrue(e.getMessage().contains("scripts/guest-build.sh") && e.getMessage().contains("--hypervisor=mock"), e.getMessage());
    }

    @Test
    void anExecutableEmulatorIsTaken(@TempDir Path dir) throws Exception {
        Path qemu = Files.createFile(dir.resolve("qemu"));
        assertTrue(qemu.toFile().setExecutable(true));
        HypervisorConfig hc = HypervisorConfig.builder().hypervisorPath(qemu.toString()).build();
        assertEquals(qemu.toString(), new GuestFiles(dir.toString(), QemuSettings.DEFAULTS).qemu(hc));
    }
}
