package org.vcj.core.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.vcj.api.ContainerConfig;
import org.vcj.api.HypervisorException;
import org.vcj.api.Mount;
import org.vcj.api.hypervisor.VM;
import org.vcj.support.fs.FileTrees;

/**
 * Shares a container's root filesystem and bind mounts into the VM's shared directory.
 * The rootfs is an overlay (the caller's rootfs as lower layer, writes kept under the sandbox directory) mounted
 * at {@code <hostSharedDir>/<cid>/rootfs}; bind mounts at {@code <hostSharedDir>/<cid>/mounts/<n>}. The agent
 * gets the same paths under the VM's {@code guestSharedDir}.
 */
final class RootfsSharer {

    private final SandboxPaths paths;

    RootfsSharer(SandboxPaths paths) {
        this.paths = paths;
    }

    /** Mounts what the container needs and returns its configuration with guest paths. */
    ContainerConfig share(String sandboxId, VM vm, ContainerConfig cc) {
        Path host = Path.of(vm.hostSharedDir(), cc.id());
        String guest = vm.guestSharedDir() + "/" + cc.id();
        Path layers = paths.container(sandboxId, cc.id());
        Path rootfs = host.resolve("rootfs");
        mkdirs(sandboxId, layers.resolve("upper"), layers.resolve("work"), rootfs);
        if (!Files.isDirectory(Path.of(cc.rootFs()))) {
            throw new org.vcj.api.InvalidConfigException("ContainerConfig.RootFs", cc.rootFs(), "not a directory on this host");
        }
        if (!isMountPoint(rootfs)) {
            run(sandboxId, "mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + cc.rootFs() + ",upperdir="
                    + layers.resolve("upper") + ",workdir=" + layers.resolve("work"), rootfs.toString());
        }
        List<Mount> mounts = new ArrayList<>();
        int n = 0;
        for (Mount m : cc.mounts()) {
            if (!m.isBind()) {
                mounts.add(m);
                continue;
            }
            Path target = host.resolve("mounts").resolve(Integer.toString(n));
            bind(sandboxId, Path.of(m.source()), target, m.readOnly());
            mounts.add(new Mount(guest + "/mounts/" + n, m.destination(), m.type(), m.options(), m.source(), m.readOnly()));
            n++;
        }
        return cc.toBuilder().rootFs(guest + "/rootfs").mounts(mounts).build();
    }

    /** Unmounts everything mounted for the container and removes its shared and layer directories. */
    void unshare(String sandboxId, VM vm, String containerId) {
        if (vm != null) unmountAllUnder(sandboxId, Path.of(vm.hostSharedDir(), containerId));
        unmountAllUnder(sandboxId, paths.container(sandboxId, containerId));
        if (vm != null) deleteTree(Path.of(vm.hostSharedDir(), containerId));
        deleteTree(paths.container(sandboxId, containerId));
    }

    /** Unmounts every mount point at or below {@code dir}, deepest first (lazy unmount as a last resort). */
    void unmountAllUnder(String sandboxId, Path dir) {
        String prefix = dir.toAbsolutePath().normalize().toString();
        List<String> points = new ArrayList<>();
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
            lines.map(l -> unescape(l.split(" ")[4]))
                    .filter(p -> p.equals(prefix) || p.startsWith(prefix + "/"))
                    .forEach(points::add);
        } catch (IOException e) {
            throw new HypervisorException(sandboxId, "unmount", "cannot read /proc/self/mountinfo: " + e.getMessage(), e);
        }
        points.sort(Comparator.comparingInt(String::length).reversed());
        for (String p : points) {
            if (!tryRun("umount", p)) run(sandboxId, "umount", "-l", p);
        }
    }

    static void deleteTree(Path dir) {
        try {
            FileTrees.delete(dir);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new HypervisorException(null, "delete", "cannot delete " + dir + ": " + e.getMessage()
                    + " (is something still mounted there?)", e);
        }
    }

    private void bind(String sandboxId, Path source, Path target, boolean readOnly) {
        if (!Files.exists(source)) {
            throw new org.vcj.api.InvalidConfigException("Mount.Source", source.toString(), "does not exist on this host");
        }
        try {
            if (Files.isDirectory(source)) Files.createDirectories(target);
            else {
                Files.createDirectories(target.getParent());
                if (!Files.exists(target)) Files.createFile(target);
            }
        } catch (IOException e) {
            throw new HypervisorException(sandboxId, "share mount", "cannot create " + target + ": " + e.getMessage(), e);
        }
        if (isMountPoint(target)) return;
        run(sandboxId, "mount", "--rbind", source.toString(), target.toString());
        if (readOnly) run(sandboxId, "mount", "-o", "remount,bind,ro", target.toString());
    }

    private static boolean isMountPoint(Path p) {
        String s = p.toAbsolutePath().normalize().toString();
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
            return lines.anyMatch(l -> unescape(l.split(" ")[4]).equals(s));
        } catch (IOException e) {
            return false;
        }
    }

    private static String unescape(String s) {
        return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }

    private static void mkdirs(String sandboxId, Path... dirs) {
        for (Path d : dirs) {
            try {
                Files.createDirectories(d);
            } catch (IOException e) {
                throw new HypervisorException(sandboxId, "share rootfs", "cannot create " + d + ": " + e.getMessage(), e);
            }
        }
    }

    private static boolean tryRun(String... cmd) {
        try {
            java.lang.Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void run(String sandboxId, String... cmd) {
        try {
            java.lang.Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new HypervisorException(sandboxId, cmd[0], String.join(" ", cmd) + " failed: "
                        + new String(out, StandardCharsets.UTF_8).strip() + " (vcj needs root to mount)", null);
            }
        } catch (IOException e) {
            throw new HypervisorException(sandboxId, cmd[0], "cannot run " + cmd[0] + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HypervisorException(sandboxId, cmd[0], "interrupted", e);
        }
    }
}
