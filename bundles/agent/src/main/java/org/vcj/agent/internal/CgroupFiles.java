package org.vcj.agent.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a container's cgroup files directly (v2 unified or v1 memory controller). Stateless. */
public final class CgroupFiles {
    private static final Path ROOT = Path.of("/sys/fs/cgroup");

    private CgroupFiles() {
    }

    /** True when /sys/fs/cgroup is a pure cgroup2 hierarchy. */
    public static boolean unified() {
        return Files.exists(ROOT.resolve("cgroup.controllers")) && !Files.isDirectory(ROOT.resolve("memory"));
    }

    private static Path memoryDir(String sid, String cid) {
        String rel = "vcj/" + sid + "/" + cid;
        return unified() ? ROOT.resolve(rel) : ROOT.resolve("memory").resolve(rel);
    }

    /** The container's oom_kill counter, or -1 when the cgroup or counter cannot be read. */
    public static long oomKills(String sid, String cid) {
        Path f = memoryDir(sid, cid).resolve(unified() ? "memory.events" : "memory.oom_control");
        return keyed(f, "oom_kill");
    }

    /** v2 only: the sandbox cgroup's hierarchical oom_kill counter (0 when absent). */
    public static long sandboxOomKills(String sid) {
        return Math.max(0, keyed(ROOT.resolve("vcj/" + sid).resolve("memory.events"), "oom_kill"));
    }

    /** The container's cgroup v2 directory. */
    public static Path v2Dir(String sid, String cid) {
        return ROOT.resolve("vcj/" + sid + "/" + cid);
    }

    /** Current memory usage in bytes, or -1 when unknown. */
    public static long memoryUsage(String sid, String cid) {
        Path f = memoryDir(sid, cid).resolve(unified() ? "memory.current" : "memory.usage_in_bytes");
        try {
            return Long.parseLong(Files.readString(f).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    static long keyed(Path f, String key) {
        try {
            for (String line : Files.readAllLines(f)) {
                String[] kv = line.trim().split("\\s+");
                if (kv.length == 2 && kv[0].equals(key)) {
                    return Long.parseLong(kv[1]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /**
     * Removes the sandbox's parent cgroup (/vcj/&lt;sid&gt; in every v1 controller, or in the v2
     * hierarchy) once its containers are gone; the runtimes remove only the container leaves.
     * Returns the directories that could not be removed (still busy).
     */
    public static java.util.List<Path> removeSandbox(String sid) {
        java.util.List<Path> dirs = new java.util.ArrayList<>();
        if (unified()) {
            dirs.add(ROOT.resolve("vcj").resolve(sid));
        } else {
            try (java.util.stream.Stream<Path> s = Files.list(ROOT)) {
                s.forEach(ctrl -> dirs.add(ctrl.resolve("vcj").resolve(sid)));
            } catch (IOException e) {
                return java.util.List.of(ROOT);
            }
        }
        java.util.List<Path> busy = new java.util.ArrayList<>();
        for (Path d : dirs) {
            try {
                Files.deleteIfExists(d);
            } catch (IOException e) {
                busy.add(d);
            }
        }
        return busy;
    }
}
