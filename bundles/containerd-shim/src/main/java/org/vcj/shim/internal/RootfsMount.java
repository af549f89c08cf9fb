package org.vcj.shim.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.vcj.shim.proto.TaskProto;

/**
 * The container's root file system at {@code BUNDLE/rootfs}: in runtime v2 the shim mounts the snapshot mounts
 * containerd gives in CreateTaskRequest (overlay, or a bind for the native snapshotter) and unmounts them on Delete.
 */
final class RootfsMount {
    private static final long TIMEOUT_SECONDS = 30;

    private RootfsMount() { }

    /** Mounts {@code mounts} at {@code bundle/rootfs}; none means containerd's rootfs is already there. */
    static Path mount(Path bundle, List<TaskProto.RootMount> mounts) {
        Path rootfs = bundle.resolve("rootfs");
        if (mounts.isEmpty()) return rootfs;
        if (mounts.size() > 1) {
            throw new TaskException(TaskException.INVALID_ARGUMENT, "rootfs of " + mounts.size() + " mounts; vcj takes one (overlay or bind)");
        }
        TaskProto.RootMount m = mounts.get(0);
        try {
            Files.createDirectories(rootfs);
        } catch (IOException e) {
            throw new TaskException(TaskException.INTERNAL, "cannot create " + rootfs + ": " + e.getMessage(), e);
        }
        List<String> cmd = new ArrayList<>(List.of("mount"));
        boolean bind = m.getType().equals("bind") || m.getOptionsList().contains("bind") || m.getOptionsList().contains("rbind");
        if (!bind) cmd.addAll(List.of("-t", m.getType()));
        if (m.getOptionsCount() > 0) cmd.addAll(List.of("-o", String.join(",", m.getOptionsList())));
        cmd.add(m.getSource());
        cmd.add(rootfs.toString());
        run(cmd, "mount the rootfs");
        return rootfs;
    }

    /** Unmounts {@code bundle/rootfs} when something is mounted there (lazily when busy). */
    static void unmount(Path bundle) {
        Path rootfs = bundle.resolve("rootfs").toAbsolutePath().normalize();
        if (!isMountPoint(rootfs)) return;
        try {
            run(List.of("umount", rootfs.toString()), "unmount the rootfs");
        } catch (TaskException e) {
            run(List.of("umount", "-l", rootfs.toString()), "unmount the rootfs lazily");
        }
    }

    static boolean isMountPoint(Path dir) {
        try {
            String target = dir.toAbsolutePath().normalize().toString();
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
                String[] f = line.split(" ");
                if (f.length > 4 && f[4].equals(target)) return true;
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    private static void run(List<String> cmd, String what) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new TaskException(TaskException.INTERNAL, "cannot " + what + ": " + String.join(" ", cmd) + " took over " + TIMEOUT_SECONDS + " s");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.exitValue() != 0) {
                throw new TaskException(TaskException.INTERNAL, "cannot " + what + ": " + String.join(" ", cmd) + ": " + out);
            }
        } catch (IOException e) {
            throw new TaskException(TaskException.INTERNAL, "cannot " + what + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaskException(TaskException.INTERNAL, "interrupted while trying to " + what);
        }
    }
}
