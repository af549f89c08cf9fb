package org.vcj.hypervisor.qemu.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

import org.vcj.api.HypervisorConfig;
import org.vcj.api.InvalidConfigException;

/**
 * Where the guest's kernel, image and QEMU itself are: HypervisorConfig's KernelPath, ImagePath (the read-only disk
 * image with the JRE and the agent) and HypervisorPath when set, else the settings {@code kernel}, {@code image} and
 * {@code qemu.path}, else {@code <vcj.guest.dir>/vmlinux}, {@code <vcj.guest.dir>/guest.img} and
 * {@code qemu-system-x86_64}; the initramfs that mounts the image is always {@code <vcj.guest.dir>/initramfs.cpio}.
 *
 * @param guestDir the directory the guest image build wrote (framework property vcj.guest.dir)
 * @param settings the plugin's settings
 */
record GuestFiles(String guestDir, QemuSettings settings) {

    static GuestFiles from(Function<String, String> properties, QemuSettings settings) {
        return new GuestFiles(properties.apply("vcj.guest.dir"), settings);
    }

    String qemu(HypervisorConfig hc) {
        if (!hc.hypervisorPath().isEmpty()) return hc.hypervisorPath();
        return settings.qemu().isEmpty() ? "qemu-system-x86_64" : settings.qemu();
    }

    Path kernel(HypervisorConfig hc) {
        return !hc.kernelPath().isEmpty() ? existing("HypervisorConfig.KernelPath", hc.kernelPath(), "vmlinux")
                : existing(QemuSettings.KERNEL, settings.kernel(), "vmlinux");
    }

    Path initrd() {
        return existing("vcj.guest.dir", "", "initramfs.cpio");
    }

    Path image(HypervisorConfig hc) {
        return !hc.imagePath().isEmpty() ? existing("HypervisorConfig.ImagePath", hc.imagePath(), "guest.img")
                : existing(QemuSettings.IMAGE, settings.image(), "guest.img");
    }

    private Path existing(String field, String configured, String name) {
        Path p = !configured.isEmpty() ? Path.of(configured) : guestDir == null ? null : Path.of(guestDir, name);
        if (p == null || !Files.isRegularFile(p)) {
            throw new InvalidConfigException(field, String.valueOf(p), "no guest " + name
                    + "; build the guest with scripts/guest-build.sh (./vcj does it on first qemu use) or set " + field);
        }
        return p;
    }
}
