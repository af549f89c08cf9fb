package org.vcj.agent.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.vcj.agent.protocol.CreateContainerRequest;

/**
 * The config.json of a container whose request carries the caller's whole OCI spec ({@code oci_spec}), adapted to
 * where the agent runs it. Rewritten: the root (the request's guest rootfs), the mounts ({@link OciMounts}), the
 * devices and resources (the request's, guest nodes), the cgroup path (the agent's), the namespaces (below); dropped:
 * hooks (they would run in the guest, not where the caller put them), AppArmor and SELinux labels, Intel RDT; kept
 * as written: the process (user, groups, capabilities, rlimits, no_new_privileges, env, ...) but for its terminal,
 * seccomp, masked and read-only paths, rootfs propagation, uid/gid mappings, sysctls once checked
 * ({@link OciSysctls}), hostname and annotations. Namespaces: in a guest the network namespace is the VM's (the
 * pod's network), so the container joins the agent's by path; on the host (mock hypervisor) a network namespace is kept as
 * given, so containers join the pod's namespace as under runc. An IPC, UTS or PID namespace given by path (a pod's
 * shared namespace) is the one of the pod's sandbox container (CRI annotation {@code io.kubernetes.cri.sandbox-id})
 * in this agent; any other path names a namespace the agent cannot see, and the container gets a new one.
 * Stateless.
 */
final class OciSpecAdapter {
    /** CRI's annotation naming the pod sandbox (its sandbox container's id) a container belongs to. */
    static final String CRI_SANDBOX_ID = "io.kubernetes.cri.sandbox-id";

    private static final System.Logger LOG = System.getLogger("org.vcj.agent.containers");
    private static final Set<String> KEPT_LINUX = Set.of("seccomp", "maskedPaths", "readonlyPaths",
            "rootfsPropagation", "uidMappings", "gidMappings", "personality", "timeOffsets");
    private static final Set<String> DROPPED_PROCESS = Set.of("apparmorProfile", "selinuxLabel", "terminal");
    private static final Set<String> SHAREABLE = Set.of("ipc", "uts", "pid");
    private static final Map<String, String> NS_FILE = Map.of("ipc", "ipc", "uts", "uts", "pid", "pid");

    /**
     * Where the agent runs the container.
     *
     * @param sandboxId the agent's sandbox
     * @param hostname  the sandbox's hostname, for a container with its own UTS namespace whose spec names none
     * @param guest     whether the agent runs in the sandbox's VM (else on the host: the mock hypervisor)
     * @param mainPid   the main process pid of a container of this sandbox, or null when it has none running
     */
    record Target(String sandboxId, String hostname, boolean guest, Function<String, Integer> mainPid) {
    }

    private OciSpecAdapter() {
    }

    /** The adapted config.json; INVALID_ARGUMENT when the spec is not a JSON object or asks what the agent refuses. */
    static String config(CreateContainerRequest req, Target t) {
        String cid = req.getContainerId();
        Map<?, ?> spec = object(parse(req.getOciSpec(), cid), "the OCI spec", cid);
        Map<?, ?> linux = object(spec.get("linux"), "linux", cid);
        List<Map<String, Object>> namespaces = namespaces(linux.get("namespaces"), spec, t, cid);
        boolean ownNetwork = t.guest() || namespaces.stream().anyMatch(n -> "network".equals(n.get("type")));
        if (linux.get("sysctl") != null) {
            OciSysctls.check(object(linux.get("sysctl"), "linux.sysctl", cid), ownNetwork, cid);
        }
        JsonWriter w = new JsonWriter().beginObject(null)
                .value("ociVersion", spec.get("ociVersion") instanceof String v ? v : "1.0.2");
        process(w, spec.get("process"), req, cid);
        boolean readonly = req.getReadonlyRootfs() || Boolean.TRUE.equals(JsonReader.at(spec, "root", "readonly"));
        w.beginObject("root").value("path", req.getRootfs()).value("readonly", readonly).endObject();
        boolean ownUts = namespaces.stream().anyMatch(n -> "uts".equals(n.get("type")) && !n.containsKey("path"));
        if (ownUts) {
            String host = spec.get("hostname") instanceof String h && !h.isEmpty() ? h : t.hostname();
            if (!host.isEmpty()) {
                w.value("hostname", host);
            }
            if (spec.get("domainname") instanceof String d) {
                w.value("domainname", d);
            }
        }
        List<?> mounts = spec.get("mounts") == null ? List.of() : list(spec.get("mounts"), "mounts", cid);
        OciMounts.write(w, req.getMountsList(), mounts, cid);
        w.beginObject("linux").value("cgroupsPath", OciSpecWriter.cgroupsPath(t.sandboxId(), cid))
                .tree("namespaces", namespaces);
        OciSpecWriter.devices(w, req);
        OciSpecWriter.resources(w, req);
        if (linux.get("sysctl") != null) {
            w.tree("sysctl", linux.get("sysctl"));
        }
        linux.forEach((k, v) -> {
            if (KEPT_LINUX.contains(String.valueOf(k))) {
                w.tree(String.valueOf(k), v);
            }
        });
        w.endObject();
        Map<Object, Object> annotations = new LinkedHashMap<>();
        if (spec.get("annotations") != null) {
            annotations.putAll(object(spec.get("annotations"), "annotations", cid));
        }
        annotations.putAll(req.getAnnotationsMap());
        return w.tree("annotations", annotations).endObject().toString();
    }

    private static void process(JsonWriter w, Object process, CreateContainerRequest req, String cid) {
        if (process == null) {
            OciSpecWriter.process(w, "process", req.getCmd());
            return;
        }
        Map<?, ?> p = object(process, "process", cid);
        if (!(p.get("args") instanceof List<?> args) || args.isEmpty()) {
            throw AgentErrors.invalid("the OCI spec of container " + cid + " has no process.args: give the program to run");
        }
        w.beginObject("process").value("terminal", req.getCmd().getTerminal());   // the agent's console follows the request
        p.forEach((k, v) -> {
            if (!DROPPED_PROCESS.contains(String.valueOf(k))) {
                w.tree(String.valueOf(k), v);
            }
        });
        w.endObject();
    }

    private static List<Map<String, Object>> namespaces(Object given, Map<?, ?> spec, Target t, String cid) {
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        String podSandbox = JsonReader.at(spec, "annotations", CRI_SANDBOX_ID) instanceof String s ? s : null;
        Integer podPid = podSandbox == null || podSandbox.equals(cid) ? null : t.mainPid().apply(podSandbox);
        for (Object o : given == null ? List.of() : list(given, "linux.namespaces", cid)) {
            Map<?, ?> n = object(o, "a namespace", cid);
            String type = String.valueOf(n.get("type"));
            Object path = n.get("path");
            Map<String, Object> ns = new LinkedHashMap<>();
            ns.put("type", type);
            if (type.equals("network")) {
                if (t.guest()) {
                    // the VM's network is the pod's: join the agent's namespace (named, not left out, so that the
                    // OCI runtime knows the container has a network namespace and lets it set net.* sysctls)
                    ns.put("path", "/proc/" + ProcessHandle.current().pid() + "/ns/net");
                } else if (path != null) {
                    ns.put("path", path);          // mock: join the pod's namespace, as runc does
                }
            } else if (path != null && SHAREABLE.contains(type)) {
                if (podPid != null) {
                    ns.put("path", "/proc/" + podPid + "/ns/" + NS_FILE.get(type));
                } else {
                    LOG.log(System.Logger.Level.INFO, "container {0}: {1} namespace {2} is not in this sandbox, "
                            + "a new one is made", cid, type, path);
                }
            }
            out.add(ns);
        }
        return out;
    }

    private static Object parse(String json, String cid) {
        try {
            return JsonReader.parse(json);
        } catch (RuntimeException e) {
            throw AgentErrors.invalid("the OCI spec of container " + cid + " is not valid JSON: " + e.getMessage());
        }
    }

    private static Map<?, ?> object(Object o, String what, String cid) {
        if (o == null) {
            return Map.of();
        }
        if (o instanceof Map<?, ?> m) {
            return m;
        }
        throw AgentErrors.invalid(what + " of the OCI spec of container " + cid + " is not a JSON object");
    }

    private static List<?> list(Object o, String what, String cid) {
        if (o instanceof List<?> l) {
            return l;
        }
        throw AgentErrors.invalid(what + " of the OCI spec of container " + cid + " is not a JSON array");
    }
}
