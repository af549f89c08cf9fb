package org.vcj.distribution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What a pod of vcj can leave on the host: processes, network namespaces, mounts, cgroups, taps, files. */
final class CriLeftovers {
    private CriLeftovers() { }

    /** A description of everything of the given pods (sandbox ids) and of vcj's root still there; "" when none. */
    static String of(List<String> podIds, Path vroot) throws IOException {
        List<String> left = new ArrayList<>();
        // a warm shim service of the root (one for every pod) may outlive its pods for its idle time; a pod's own
        // processes name the pod
        List<String> procs = Distribution.processesMentioning(vroot.toString()).stream()
                .filter(p -> !p.contains("containerd-shim serve")).toList();
        if (!procs.isEmpty()) left.add("processes " + procs);
        for (String id : podIds) {
            List<String> procsOfPod = Distribution.processesMentioning(id);
            if (!procsOfPod.isEmpty()) left.add("processes of " + id + " " + procsOfPod);
            List<String> contained = Distribution.processesInCgroup("/vcj/" + id);
            if (!contained.isEmpty()) left.add("processes in cgroup /vcj/" + id + " " + contained);
            for (Path cg : cgroupDirs(id)) left.add("cgroup " + cg);
            if (Files.exists(vroot.resolve("sandboxes").resolve(id))) left.add("sandbox directory of " + id);
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String point = line.split(" ")[4];
            if (point.startsWith(vroot + "/") || podIds.stream().anyMatch(point::contains)) left.add("mount " + point);
        }
        try (Stream<Path> taps = Files.list(Path.of("/sys/class/net"))) {
            for (Path tap : taps.toList()) {
                String name = tap.getFileName().toString();
                if (podIds.stream().anyMatch(id -> name.contains(id.substring(0, Math.min(8, id.length()))))) left.add("link " + name);
            }
        }
        return String.join("\n", left);
    }

    private static List<Path> cgroupDirs(String id) throws IOException {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path h : hierarchies.toList()) {
                Path dir = h.resolve("vcj").resolve(id);
                if (Files.isDirectory(dir)) found.add(dir);
            }
        }
        if (Files.isDirectory(Path.of("/sys/fs/cgroup/vcj", id))) found.add(Path.of("/sys/fs/cgroup/vcj", id));
        return found;
    }

    /** Lazily unmounts everything mounted under {@code dir}, deepest first. */
    static void unmountUnder(Path dir) throws Exception {
        List<String> points = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String p = line.split(" ")[4];
            if (p.startsWith(dir + "/")) points.add(p);
        }
        points.sort((a, b) -> b.length() - a.length());
        for (String p : points) ContainerdShimIT.call(List.of("umount", "-l", p), null);
    }
}
