package org.vcj.hypervisor.qemu.internal;

import java.util.Map;
import java.util.function.Predicate;

import org.vcj.api.InvalidConfigException;

/**
 * The QEMU plugin's settings, read once at activation (configuration {@code org.vcj.hypervisor.qemu}, which the
 * launcher fills from the {@code qemu.*}, {@code kernel} and {@code image} keys of {@code conf/org.vcj.cfg}) and
 * checked there: a bad value fails the
 * activation with its key and value, never a later {@code startVM}. A sandbox's own {@code HypervisorConfig}
 * (HypervisorPath, KernelPath, ImagePath, NumVCPUs, MemorySize, MachineAccelerators) wins over these defaults.
 *
 * @param qemu        {@value #QEMU_PATH}: the emulator; empty means {@code qemu-system-x86_64} on the PATH
 * @param kernel      {@value #KERNEL}: the guest kernel; empty means {@code <vcj.guest.dir>/vmlinux}
 * @param image       {@value #IMAGE}: the guest image; empty means {@code <vcj.guest.dir>/guest.img}
 * @param vcpus       {@value #VCPUS}: vCPUs of a VM whose sandbox asks for none (1–240, default 2)
 * @param memoryMiB   {@value #MEMORY}: MiB of a VM whose sandbox asks for none (at least 64, default 1024)
 * @param tcgCacheMiB {@value #TCG_CACHE}: MiB of TCG's translation cache (8–1024, default 64); see
 *                    {@link QemuCommandLine}
 * @param accelerator {@value #ACCELERATOR}: {@code auto} (probe KVM once), {@code kvm} or {@code tcg}
 * @param seccomp     {@value #SECCOMP}: QEMU's seccomp filter ({@code -sandbox on}, obsolete, privilege elevation,
 *                    spawning and resource control denied); default true
 * @param user        {@value #USER}: the user QEMU runs as once it has opened its files ({@code -runas}; 9p
 *                    exports and hot-plugged disks are then served by root helpers, {@link QemuHelpers}); empty (the
 *                    default) keeps it root
 */
record QemuSettings(String qemu, String kernel, String image, int vcpus, int memoryMiB, int tcgCacheMiB,
                    String accelerator, boolean seccomp, String user) {

    static final String QEMU_PATH = "qemu.path";
    static final String KERNEL = "kernel";
    static final String IMAGE = "image";
    static final String VCPUS = "qemu.vcpus";
    static final String MEMORY = "qemu.memory";
    static final String TCG_CACHE = "qemu.tcg.cache";
    static final String ACCELERATOR = "qemu.accelerator";
    static final String SECCOMP = "qemu.seccomp";
    static final String USER = "qemu.user";

    /** The built-in defaults: what the plugin does with no configuration at all. */
    static final QemuSettings DEFAULTS = new QemuSettings("", "", "", 2, 1024, 64, "auto", true, "");

    private static final Predicate<String> ABSOLUTE = v -> v.isEmpty() || v.startsWith("/");

    /** The settings of these configuration properties; absent keys keep {@link #DEFAULTS}. */
    static QemuSettings from(Map<String, ?> properties) {
        return new QemuSettings(
                text(properties, QEMU_PATH, DEFAULTS.qemu, ABSOLUTE, "the absolute path of qemu-system-x86_64"),
                text(properties, KERNEL, DEFAULTS.kernel, ABSOLUTE, "an absolute path to the guest kernel"),
                text(properties, IMAGE, DEFAULTS.image, ABSOLUTE, "an absolute path to the guest image"),
                number(properties, VCPUS, DEFAULTS.vcpus, 1, 240),
                number(properties, MEMORY, DEFAULTS.memoryMiB, 64, 4_194_304),
                number(properties, TCG_CACHE, DEFAULTS.tcgCacheMiB, 8, 1024),
                text(properties, ACCELERATOR, DEFAULTS.accelerator, v -> v.matches("auto|kvm|tcg"), "auto, kvm or tcg"),
                Boolean.parseBoolean(text(properties, SECCOMP, Boolean.toString(DEFAULTS.seccomp),
                        v -> v.matches("true|false"), "true or false")),
                text(properties, USER, DEFAULTS.user, v -> v.isEmpty() || v.matches("[a-z_][a-z0-9_-]{0,31}|[0-9]+:[0-9]+"),
                        "a user name, or uid:gid (empty: QEMU stays root)"));
    }

    private static String text(Map<String, ?> properties, String key, String fallback, Predicate<String> valid, String expected) {
        Object raw = properties.get(key);
        String v = raw == null ? fallback : raw.toString().trim();
        if (!valid.test(v)) throw bad(key, v, expected);
        return v;
    }

    private static int number(Map<String, ?> properties, String key, int fallback, int min, int max) {
        String v = text(properties, key, Integer.toString(fallback), s -> s.matches("[0-9]{1,9}"),
                "a whole number from " + min + " to " + max);
        int n = Integer.parseInt(v);
        if (n < min || n > max) throw bad(key, v, "a whole number from " + min + " to " + max);
        return n;
    }

    private static InvalidConfigException bad(String key, String value, String expected) {
        return new InvalidConfigException(key, value, "the qemu hypervisor expects " + expected
                + "; correct it in conf/org.vcj.cfg (or configuration " + QemuHypervisor.PID + ")");
    }
}
