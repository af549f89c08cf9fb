package org.vcj.hypervisor.qemu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.vcj.api.HypervisorConfig;
import org.vcj.api.InvalidConfigException;

class QemuCommandLineTest {

    private static List<String> args(String accel) {
        return new QemuCommandLine("s1", "qemu-system-x86_64", Path.of("/g/vmlinux"), Path.of("/g/initramfs.cpio"),
                Path.of("/g/guest.img"), accel, 2, 512, new QemuRunFiles(Path.of("/run/s1")), HypervisorConfig.builder().build(), null,
                QemuSettings.DEFAULTS).args();
    }

    private static String after(List<String> args, String option, String startingWith) {
        for (int i = 0; i < args.size() - 1; i++) {
            if (args.get(i).equals(option) && args.get(i + 1).startsWith(startingWith)) return args.get(i + 1);
        }
        throw new AssertionError("no " + option + " " + startingWith + "... in " + args);
    }

    @Test
    void theGuestImageIsAReadOnlyDiskAndTheBalloonReportsFreePages() {
        List<String> a = args("tcg");
        assertEquals("file=/g/guest.img,if=none,id=guestimg,format=raw,readonly=on", after(a, "-drive", "file="));
        assertEquals("virtio-blk-pci,drive=guestimg,serial=vcj-guest", after(a, "-device", "virtio-blk-pci"));
        assertEquals("virtio-balloon-pci,free-page-reporting=on", after(a, "-device", "virtio-balloon"));
        assertEquals("/g/initramfs.cpio", after(a, "-initrd", "/"));
    }

    @Test
    void tcgHasABoundedTranslationCacheAndKvmNone() {
        assertEquals("tcg,tb-size=" + QemuSettings.DEFAULTS.tcgCacheMiB(), after(args("tcg"), "-accel", ""));
        assertEquals("kvm", after(args("kvm"), "-accel", ""));
        assertEquals("q35", after(args("tcg"), "-machine", ""));
    }

    @Test
    void theKernelSkipsBootWorkASandboxDoesNotNeed() {
        String params = after(args("tcg"), "-append", "");
        assertTrue(params.startsWith("console=ttyS0 panic=-1 quiet "), params);
        for (String p : List.of("tsc=reliable", "no_timer_check", "cryptomgr.notests", "i8042.noaux=1")) {
            assertTrue(params.contains(p), p + " in " + params);
        }
    }

    @Test
    void autoAsksTheProbeAndForcedSettingsDoNot() {
        assertEquals("kvm", Accelerator.choose("auto", () -> "kvm"));
        assertEquals("tcg", Accelerator.choose("", () -> "tcg"));
        assertEquals("tcg", Accelerator.choose("tcg", () -> { throw new AssertionError("probed"); }));
        assertEquals("kvm", Accelerator.choose(" kvm ", () -> { throw new AssertionError("probed"); }));
        assertTrue(assertThrows(InvalidConfigException.class, () -> Accelerator.choose("hvf", () -> "tcg"))
                .getMessage().contains("auto, kvm or tcg"));
    }
}
