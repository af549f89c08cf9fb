package org.vcj.agent.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vcj.agent.protocol.Mount;

/**
 * The {@code mounts} of a container's config.json: the file systems every container gets (proc, dev, sys...), the
 * request's mounts (guest paths), and, when the caller's OCI spec came along, its own mounts adapted to the guest.
 * Stateless.
 */
final class OciMounts {
    private static final System.Logger LOG = System.getLogger("org.vcj.agent.containers");

    /** A mount every container gets unless its request or spec mounts something at the destination. */
    private record Standard(String destination, String type, String source, List<String> options) {
        Standard(String destination, String type, String source, String... options) {
            this(destination, type, source, List.of(options));
        }
    }

    private static final List<Standard> STANDARD = List.of(
            new Standard("/proc", "proc", "proc", "nosuid", "noexec", "nodev"),
            new Standard("/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k"),
            new Standard("/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666",
                    "mode=0620", "gid=5"),
            new Standard("/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777", "size=65536k"),
            new Standard("/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev"),
            new Standard("/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", "ro"),
            new Standard("/sys/fs/cgroup", "cgroup", "cgroup", "nosuid", "noexec", "nodev", "relatime", "ro"));

    private OciMounts() {
    }

    /** The standard mounts, then the request's. */
    static void write(JsonWriter w, List<Mount> mounts) {
        Set<String> taken = new HashSet<>();
        mounts.forEach(m -> taken.add(m.getDestination()));
        w.beginArray("mounts");
        standard(w, taken);
        mounts.forEach(m -> request(w, m));
        w.endArray();
    }

    /**
     * The spec's mounts in the spec's order, adapted: a destination the request also mounts takes the request's (its
     * source is the guest path of the shared file or volume); the spec's other file systems (proc, tmpfs, sysfs...)
     * stay as written; its bind mounts of host paths the guest cannot see (e.g. the pod's {@code /dev/shm}) give way
     * to the standard mount at that destination, or are left out. Standard mounts the spec lacks come first, the
     * request's mounts the spec lacks last.
     */
    static void write(JsonWriter w, List<Mount> mounts, List<?> specMounts, String cid) {
        Map<String, Mount> byDest = new LinkedHashMap<>();
        mounts.forEach(m -> byDest.put(m.getDestination(), m));
        Set<String> inSpec = new HashSet<>(byDest.keySet());
        List<Map<?, ?>> spec = new ArrayList<>();
        for (Object o : specMounts) {
            if (!(o instanceof Map<?, ?> m) || !(m.get("destination") instanceof String)) {
                throw AgentErrors.invalid("a mount of the OCI spec of container " + cid + " has no destination: " + o);
            }
            spec.add(m);
            inSpec.add((String) m.get("destination"));
        }
        w.beginArray("mounts");
        standard(w, inSpec);
        for (Map<?, ?> m : spec) {
            String dest = (String) m.get("destination");
            Mount own = byDest.remove(dest);
            if (own != null) {
                request(w, own);
            } else if (!bind(m)) {
                w.tree(null, m);
            } else if (!standard(w, dest)) {
                LOG.log(System.Logger.Level.INFO, "container {0}: bind mount of host path {1} at {2} left out: "
                        + "not shared with the guest", cid, m.get("source"), dest);
            }
        }
        byDest.values().forEach(m -> request(w, m));
        w.endArray();
    }

    private static boolean bind(Map<?, ?> m) {
        return "bind".equals(m.get("type")) || m.get("options") instanceof List<?> o
                && (o.contains("bind") || o.contains("rbind"));
    }

    private static void standard(JsonWriter w, Set<String> taken) {
        for (Standard s : STANDARD) {
            if (!taken.contains(s.destination())) {
                standard(w, s);
            }
        }
    }

    private static boolean standard(JsonWriter w, String dest) {
        for (Standard s : STANDARD) {
            if (s.destination().equals(dest)) {
                standard(w, s);
                return true;
            }
        }
        return false;
    }

    private static void standard(JsonWriter w, Standard s) {
        w.beginObject(null).value("destination", s.destination()).value("type", s.type()).value("source", s.source())
                .strings("options", s.options()).endObject();
    }

    private static void request(JsonWriter w, Mount m) {
        if (m.getDestination().isEmpty() || m.getSource().isEmpty()) {
            throw AgentErrors.invalid("mount " + m + " needs a source and a destination");
        }
        String type = m.getType().isEmpty() ? "bind" : m.getType();
        List<String> opts = new ArrayList<>(m.getOptionsList());
        if (type.equals("bind") && !opts.contains("bind") && !opts.contains("rbind")) {
            opts.add("rbind");
        }
        if (m.getReadOnly() && !opts.contains("ro")) {
            opts.add("ro");
        }
        w.beginObject(null).value("destination", m.getDestination()).value("type", type)
                .value("source", m.getSource()).strings("options", opts).endObject();
    }
}
