package org.vcj.core.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.vcj.api.ContainerConfig;
import org.vcj.api.InvalidConfigException;
import org.vcj.api.SandboxConfig;

/**
 * Checks of host paths made before a sandbox or container operation changes anything: a container rootfs must not
 * be the host's own root or one of its kernel filesystems (it would be shared into the VM, writable), and the
 * state root must be a directory vcj can write.
 */
final class HostPathGuard {

    /** The host directories no container may have as its rootfs, nor anything under them but {@code /}. */
    private static final List<Path> KERNEL_TREES = List.of(Path.of("/proc"), Path.of("/sys"), Path.of("/dev"));

    private HostPathGuard() { }

    /** Every container of {@code config} (see {@link #requireContainerRootfs}). */
    static void requireContainerRootfs(SandboxConfig config) {
        for (ContainerConfig cc : config.containers()) requireContainerRootfs(cc);
    }

    /**
     * Refuses a rootfs that is, or resolves (through symlinks or {@code ..}) to, the host's {@code /}, or that is or
     * resolves to a path in {@code /proc}, {@code /sys} or {@code /dev}.
     */
    static void requireContainerRootfs(ContainerConfig cc) {
        Path given = Path.of(cc.rootFs());
        Path resolved = resolved(given);
        if (resolved.getParent() == null) {
            throw new InvalidConfigException("ContainerConfig.RootFs", cc.rootFs(), "container " + cc.id() + ": it is the host's"
                    + " root directory " + (resolved.equals(given) ? "" : "(it resolves to " + resolved + ") ")
                    + "and would become the container's root filesystem; give a directory holding the container's image");
        }
        for (Path tree : KERNEL_TREES) {
            if (resolved.startsWith(tree) || given.toAbsolutePath().normalize().startsWith(tree)) {
                throw new InvalidConfigException("ContainerConfig.RootFs", cc.rootFs(), "container " + cc.id() + ": it is "
                        + (resolved.equals(given) ? "" : "(resolves to " + resolved + ") ") + "in the host's " + tree
                        + " kernel filesystem; give a directory holding the container's image");
            }
        }
    }

    /**
     * Refuses a state root that cannot be written (e.g. {@code /proc/self}): it is made if missing and a probe file
     * is created and removed in it, before anything of the operation is made.
     */
    static void requireWritableRoot(Path root) {
        Path probe = null;
        try {
            Files.createDirectories(root);
            probe = Files.createTempFile(root, ".vcj-write-probe-", "");
        } catch (IOException | UnsupportedOperationException e) {
            throw new InvalidConfigException("root", root.toString(), "the vcj state root is not writable (" + e
                    + "); nothing was made; give a writable directory with --root (or the root setting)");
        } finally {
            if (probe != null) {
                try {
                    Files.deleteIfExists(probe);
                } catch (IOException ignored) {
                    // a probe file that stays is harmless, and the root is writable
                }
            }
        }
    }

    /** The path with symlinks and {@code ..} resolved as far as it exists, the rest normalized. */
    private static Path resolved(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null) return abs;
        try {
            return existing.toRealPath().resolve(existing.relativize(abs)).normalize();
        } catch (IOException e) {
            return abs;
        }
    }
}
