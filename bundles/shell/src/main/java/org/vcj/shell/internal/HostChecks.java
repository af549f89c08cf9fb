package org.vcj.shell.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What {@code vcj check} looks at, one {@link HostFinding} each: the accelerator, QEMU, seccomp, the guest's kernel,
 * initramfs and image, the host's cgroup layout and the mock's OCI runtime, network namespaces, containerd and the
 * shim, the JDK. Only looks: it starts no VM and changes nothing.
 */
final class HostChecks {

    private final UnaryOperator<String> settings;

    /** @param settings the effective settings and framework properties ({@code vcj.guest.dir}, {@code vcj.qemu.path} ...) */
    HostChecks(UnaryOperator<String> settings) {
        this.settings = settings;
    }

    List<HostFinding> all() throws InterruptedException {
        List<HostFinding> out = new ArrayList<>();
        out.add(accelerator());
        out.add(qemu());
        out.add(seccomp());
        Path guest = Path.of(orDefault(settings.apply("vcj.guest.dir"), "guest"));
        out.add(guestFile("guest kernel", "kernel", guest.resolve("vmlinux")));
        out.add(guestFile("guest initramfs", null, guest.resolve("initramfs.cpio")));
        out.add(guestFile("guest image", "image", guest.resolve("guest.img")));
        out.add(cgroups());
        out.add(networkNamespaces());
        out.add(containerd());
        out.add(shim());
        out.add(jdk());
        return out;
    }

    private HostFinding accelerator() {
        Path kvm = Path.of("/dev/kvm");
        boolean usable = Files.isReadable(kvm) && Files.isWritable(kvm);
        Path cache = AcceleratorProbeFile.path();
        String kept = AcceleratorProbeFile.lastAnswer(cache, kernelPath());
        String how;
        if (kept != null) {
            how = kept + ": the KVM probe's answer kept in " + cache + (kept.equals("tcg")
                    ? " (a KVM guest did not reach /init, or /dev/kvm was not usable; TCG is slower)" : " (a KVM guest reached /init)");
        } else if (!usable) {
            how = "tcg: /dev/kvm is " + (Files.exists(kvm) ? "not readable and writable by this user" : "absent") + " (TCG is slower)";
        } else {
            how = "not probed yet: /dev/kvm opens, and the first QEMU sandbox boots a KVM guest to see whether it reaches "
                    + "/init (answer kept in " + cache + ")";
        }
        return HostFinding.needed("accelerator", true, how);
    }

    private HostFinding qemu() throws InterruptedException {
        String configured = settings.apply("vcj.qemu.path");
        String name = configured == null || configured.isBlank() ? "qemu-system-x86_64" : configured.trim();
        Path qemu = HostCommands.find(name);
        if (qemu == null) {
            return HostFinding.needed("qemu", false, name + (name.contains("/") ? " is not an executable file" : " is not on PATH")
                    + ": install qemu-system-x86 (scripts/setup.sh), or run without a VM: --hypervisor=mock (no isolation)");
        }
        String version = HostCommands.firstLine(List.of(qemu.toString(), "--version"));
        return version == null
                ? HostFinding.needed("qemu", false, qemu + " --version failed: reinstall qemu-system-x86")
                : HostFinding.needed("qemu", true, qemu + ": " + version);
    }

    private static HostFinding seccomp() {
        String actions = HostCommands.read(Path.of("/proc/sys/kernel/seccomp/actions_avail"));
        return actions == null
                ? HostFinding.optional("seccomp", false, "the host kernel offers no seccomp filters (/proc/sys/kernel/seccomp): "
                        + "containers run without a seccomp profile")
                : HostFinding.optional("seccomp", true, "host kernel filters available (" + actions.strip() + ")");
    }

    private HostFinding guestFile(String name, String key, Path built) {
        String configured = key == null ? null : settings.apply("vcj." + key);
        Path p = configured == null || configured.isBlank() ? built : Path.of(configured.trim());
        if (!Files.isRegularFile(p)) {
            return HostFinding.needed(name, false, p + " is missing: build the guest (./vcj's build, or scripts/guest-build.sh)"
                    + (key == null ? "" : " or set " + key + " in conf/org.vcj.cfg") + "; or run without a VM: --hypervisor=mock");
        }
        String release = key != null && key.equals("kernel") ? kernelRelease(p) : null;
        return HostFinding.needed(name, true, p + " (" + Formats.bytes(size(p)) + (release == null ? "" : ", " + release.strip()) + ")");
    }

    /** The release the guest build's manifest names ({@code kernel 6.1...}), or null. */
    private static String kernelRelease(Path kernel) {
        String manifest = HostCommands.read(kernel.resolveSibling("manifest"));
        return manifest == null ? null : manifest.lines().filter(l -> l.startsWith("kernel ")).map(l -> "release " + l.substring(7))
                .findFirst().orElse(null);
    }

    private static HostFinding cgroups() {
        Path root = Path.of("/sys/fs/cgroup");
        String layout = Files.isRegularFile(root.resolve("cgroup.controllers")) ? "unified (cgroup v2 only)"
                : Files.isDirectory(root.resolve("unified")) ? "hybrid (v1 controllers and a v2 'unified')"
                : Files.isDirectory(root.resolve("memory")) ? "legacy (cgroup v1)" : "none found under /sys/fs/cgroup";
        String oci = layout.startsWith("unified") ? "crun" : "runc";
        Path exe = HostCommands.find(oci);
        String detail = layout + "; the mock's agent uses " + oci + (exe == null ? ", which is not on PATH" : " (" + exe + ")")
                + "; a VM's guest has its own cgroup2 and crun";
        return HostFinding.optional("cgroups", exe != null, exe == null ? detail + ": install " + oci + " for --hypervisor=mock" : detail);
    }

    private static HostFinding networkNamespaces() {
        Path ip = HostCommands.find("ip");
        boolean root = "root".equals(System.getProperty("user.name"));
        if (ip == null) return HostFinding.optional("network namespaces", false, "no 'ip' on PATH (iproute2): no sandbox network");
        return HostFinding.optional("network namespaces", root, root
                ? "as root: each QEMU sandbox gets a namespace vcj makes with " + ip + " (or --netns=PATH)"
                : "not root: vcj makes no namespace; give an existing one with --netns=PATH");
    }

    private static HostFinding containerd() throws InterruptedException {
        Path c = HostCommands.find("containerd");
        String version = c == null ? null : HostCommands.firstLine(List.of(c.toString(), "--version"));
        return c == null ? HostFinding.optional("containerd", false, "not on PATH: install containerd to use vcj's shim")
                : HostFinding.optional("containerd", version != null, c + (version == null ? ": --version failed" : ": " + version));
    }

    private HostFinding shim() {
        Path shim = HostCommands.find("containerd-shim-vcj-v2");
        String home = settings.apply("vcj.home");
        String own = home == null ? "bin/containerd-shim-vcj-v2" : Path.of(home, "bin", "containerd-shim-vcj-v2").toString();
        return shim == null ? HostFinding.optional("containerd shim", false, "containerd-shim-vcj-v2 is not on PATH: "
                + "containerd cannot start runtime io.containerd.vcj.v2 (ln -s " + own + " /usr/local/bin/)")
                : HostFinding.optional("containerd shim", true, shim + (real(shim).equals(shim) ? "" : " -> " + real(shim)));
    }

    private static HostFinding jdk() {
        Runtime.Version v = Runtime.version();
        String detail = System.getProperty("java.vm.name") + " " + v + " (" + System.getProperty("java.home") + ")";
        return HostFinding.needed("jdk", v.feature() >= 17, v.feature() >= 17 ? detail : detail + ": vcj needs JDK 17 or later");
    }

    private String kernelPath() {
        String k = settings.apply("vcj.kernel");
        return k != null && !k.isBlank() ? k.trim() : Path.of(orDefault(settings.apply("vcj.guest.dir"), "guest"), "vmlinux").toString();
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (java.io.IOException e) {
            return p;
        }
    }

    private static String orDefault(String v, String d) {
        return v == null || v.isBlank() ? d : v;
    }
}
