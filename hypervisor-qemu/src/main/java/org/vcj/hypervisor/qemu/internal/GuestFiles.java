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

    /** What a user without QEMU or without a guest can do instead (named in every such error). */
    static final String NO_VM_HINT = "; or run without a VM: --hypervisor=mock (or hypervisor=mock in the settings; no isolation)";

    /**
     * The emulator: HypervisorPath, else the setting {@code qemu.path}, else {@code qemu-system-x86_64}, which must be an executable file (a bare name is
     * looked up on {@code PATH}).
     *
     * @throws InvalidConfigException when there is no such executable
     */
    String qemu(HypervisorConfig hc) {
        String qemu = !hc.hypervisorPath().isEmpty() ? hc.hypervisorPath()
                : settings.qemu().isEmpty() ? "qemu-system-x86_64" : settings.qemu();
        if (qemu.contains("/") ? !Files.isExecutable(Path.of(qemu)) : onPath(qemu) == null) {
            boolean fromSetting = hc.hypervisorPath().isEmpty() && !settings.qemu().isEmpty();
            throw new InvalidConfigException(fromSetting ? "qemu.path" : "HypervisorConfig.HypervisorPath", qemu, "QEMU is not installed ("
                    + (qemu.contains("/") ? "no executable " + qemu : qemu + " is not on PATH")
                    + "): install the qemu-system-x86 package (scripts/setup.sh does) or set "
                    + (fromSetting ? "qemu.path" : "HypervisorPath") + NO_VM_HINT);
        }
        return qemu;
    }

    /** The executable {@code name} in a directory of {@code PATH}, or null. */
    static Path onPath(String name) {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "" : path).split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return p;
        }
        return null;
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
                    + "; build the guest with scripts/guest-build.sh (./vcj's build does it) or set " + field + NO_VM_HINT);
        }
        return p;
    }
}
