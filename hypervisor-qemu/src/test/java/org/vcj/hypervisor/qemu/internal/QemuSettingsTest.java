package org.vcj.hypervisor.qemu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.vcj.api.HypervisorConfig;
import org.vcj.api.InvalidConfigException;
import org.vcj.api.hypervisor.VMConfig;

class QemuSettingsTest {

    @Test
    void noConfigurationGivesTheDefaults() {
        assertEquals(QemuSettings.DEFAULTS, QemuSettings.from(Map.of()));
        assertEquals(2, QemuSettings.DEFAULTS.vcpus());
        assertEquals(1024, QemuSettings.DEFAULTS.memoryMiB());
        assertTrue(QemuSettings.DEFAULTS.seccomp(), "seccomp is on by default");
        assertEquals("", QemuSettings.DEFAULTS.user(), "QEMU stays root by default");
    }

    @Test
    void goodValuesAreRead() {
        QemuSettings s = QemuSettings.from(Map.of("qemu.path", "/usr/bin/qemu-system-x86_64", "kernel", "/g/vmlinux",
                "qemu.vcpus", "4", "qemu.memory", "512", "qemu.tcg.cache", "128", "qemu.accelerator", "tcg",
                "qemu.seccomp", "false", "qemu.user", "nobody"));
        assertEquals(new QemuSettings("/usr/bin/qemu-system-x86_64", "/g/vmlinux", "", 4, 512, 128, "tcg", false, "nobody"), s);
    }

    @Test
    void aBadValueFailsTheActivationWithItsKeyAndValue() {
        for (Map.Entry<String, String> bad : Map.of("qemu.vcpus", "many", "qemu.memory", "32", "qemu.tcg.cache", "0",
                "qemu.accelerator", "hvf", "qemu.seccomp", "yes", "kernel", "relative/vmlinux", "qemu.path", "qemu",
                "qemu.user", "Bad User").entrySet()) {
            InvalidConfigException e = assertThrows(InvalidConfigException.class,
                    () -> new QemuHypervisor(key -> null, Map.of(bad.getKey(), bad.getValue())), bad.toString());
            assertEquals(bad.getKey(), e.field());
            assertEquals(bad.getValue(), e.value());
            assertTrue(e.getMessage().contains(bad.getKey()) && e.getMessage().contains("'" + bad.getValue() + "'"), e.getMessage());
        }
    }

    @Test
    void theSettingsAreTheDefaultsOfTheCommandLineAndTheSandboxWins() {
        QemuSettings s = new QemuSettings("/bin/true", "", "", 3, 768, 32, "tcg", true, "");
        QemuVm vm = new QemuVm(new GuestFiles(guestDir(), s), s);
        QemuCommandLine cmd = vm.commandLine(config(HypervisorConfig.builder().build()));
        assertEquals(List.of(3, 768, "tcg", "/bin/true"), List.of(cmd.vcpus(), cmd.memory(), cmd.accel(), cmd.qemu()));
        assertTrue(cmd.args().contains("tcg,tb-size=32"), cmd.args().toString());
        assertTrue(cmd.args().contains(QemuCommandLine.SECCOMP), cmd.args().toString());
        QemuCommandLine own = vm.commandLine(config(HypervisorConfig.builder().numVCPUs(1).memorySize(256).build()));
        assertEquals(List.of(1, 256), List.of(own.vcpus(), own.memory()));
        QemuSettings off = new QemuSettings("", "", "", 2, 1024, 64, "tcg", false, "");
        assertFalse(new QemuVm(new GuestFiles(guestDir(), off), off).commandLine(config(HypervisorConfig.builder().build()))
                .args().contains("-sandbox"));
    }

    @Test
    void aQemuUserRunsItWithRunasAndAFilterThatLetsItDropToTheUser() {
        QemuSettings s = new QemuSettings("", "", "", 2, 1024, 64, "tcg", true, "nobody");
        List<String> args = new QemuVm(new GuestFiles(guestDir(), s), s).commandLine(config(HypervisorConfig.builder().build())).args();
        assertEquals("nobody", args.get(args.indexOf("-runas") + 1));
        assertEquals(QemuCommandLine.SECCOMP_RUNAS, args.get(args.indexOf("-sandbox") + 1));
        assertTrue(args.stream().anyMatch(a -> a.matches("proxy,id=fs0,socket=.*/9p-fs0\\.sock")),
                "the shared directory is served by its root proxy helper: " + args);
        assertTrue(args.stream().noneMatch(a -> a.startsWith("local,")), args.toString());
        InvalidConfigException unknown = assertThrows(InvalidConfigException.class,
                () -> new QemuHypervisor(key -> null, Map.of("qemu.user", "vcj-no-such-user")));
        assertEquals("qemu.user", unknown.field());
        assertEquals(List.of("ip", "tuntap", "add", "dev", "tap0", "mode", "tap", "user", "nobody"),
                new TcRedirect("tap0", null).ownedBy("nobody").setup().get(0));
    }

    private static String guestDir() {
        try {
            Path dir = java.nio.file.Files.createTempDirectory("vcj-guest");
            for (String f : List.of("vmlinux", "initramfs.cpio", "guest.img")) java.nio.file.Files.writeString(dir.resolve(f), "x");
            return dir.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static VMConfig config(HypervisorConfig hc) {
        return new VMConfig("s1", hc, "/run/s1", List.of(), null);
    }
}
