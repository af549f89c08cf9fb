package org.vcj.shim.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.vcj.api.Cmd;
import org.vcj.api.ContainerConfig;
import org.vcj.api.EnvVar;
import org.vcj.api.LinuxCapabilities;
import org.vcj.api.LinuxResources;
import org.vcj.api.Mount;

/**
 * An OCI runtime spec ({@code config.json} of a bundle, or the process of an exec) read into vcj's
 * {@link ContainerConfig} and {@link Cmd}. The mounts every container gets anyway (proc, dev, sys, ...) are left to
 * the agent; bind mounts and other file systems are passed on.
 */
final class OciSpec {
    /** CRI's annotation: {@code sandbox} for a pod's sandbox container, {@code container} for one that joins it. */
    static final String CONTAINER_TYPE = "io.kubernetes.cri.container-type";
    /** CRI's annotation naming the pod sandbox a container belongs to. */
    static final String SANDBOX_ID = "io.kubernetes.cri.sandbox-id";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> STANDARD_MOUNTS = Set.of("/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue",
            "/sys", "/sys/fs/cgroup", "/run");

    private final JsonNode root;

    private OciSpec(JsonNode root) {
        this.root = root;
    }

    static OciSpec read(Path bundle) {
        Path file = bundle.resolve("config.json");
        try {
            return new OciSpec(JSON.readTree(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new TaskException(TaskException.INVALID_ARGUMENT, "cannot read the OCI spec " + file + ": " + problem(e), e);
        }
    }

    /** The annotations of the spec. */
    Map<String, String> annotations() {
        Map<String, String> out = new LinkedHashMap<>();
        root.path("annotations").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    /** The pod sandbox this container joins, or {@code null} when it is a sandbox of its own. */
    String joinedSandbox() {
        Map<String, String> a = annotations();
        return "container".equals(a.get(CONTAINER_TYPE)) ? a.get(SANDBOX_ID) : null;
    }

    /**
     * The network namespace the spec names ({@code linux.namespaces}, type {@code network}, its {@code path}): the
     * pod's, made by CNI. Empty when the spec asks for a new namespace (no path) or names none (a host-network pod).
     */
    String networkNamespace() {
        for (JsonNode ns : root.path("linux").path("namespaces")) {
            if ("network".equals(ns.path("type").asText())) return ns.path("path").asText("");
        }
        return "";
    }

    /** The spec's {@code hostname} (the pod's), or empty. */
    String hostname() {
        return root.path("hostname").asText("");
    }

    /** The container config of container {@code id} whose root file system is {@code rootfs}. */
    ContainerConfig container(String id, Path rootfs) {
        JsonNode linux = root.path("linux");
        return ContainerConfig.builder(id).rootFs(rootfs.toString())
                .readonlyRootfs(root.path("root").path("readonly").asBoolean(false))
                .cmd(cmd(root.path("process"), root.path("process").path("terminal").asBoolean(false)))
                .annotations(withSpec(annotations()))
                .mounts(mounts(root.path("mounts")))
                .resources(resources(linux.path("resources")))
                .build();
    }

    /** The annotations plus the whole spec as JSON, which the agent adapts to the guest. */
    private Map<String, String> withSpec(Map<String, String> annotations) {
        try {
            annotations.put(ContainerConfig.CONFIG_JSON_KEY, JSON.writeValueAsString(root));
        } catch (IOException e) {
            throw new TaskException(TaskException.INVALID_ARGUMENT, "cannot write the OCI spec as JSON: " + e.getMessage(), e);
        }
        return annotations;
    }

    /** The Cmd of an OCI process object (an exec's spec). */
    static Cmd process(byte[] json, boolean terminal) {
        try {
            return cmd(JSON.readTree(json), terminal);
        } catch (IOException e) {
            throw new TaskException(TaskException.INVALID_ARGUMENT, "the exec's process spec is not valid JSON: " + problem(e), e);
        }
    }

    private static Cmd cmd(JsonNode p, boolean terminal) {
        List<String> args = strings(p.path("args"));
        if (args.isEmpty()) throw new TaskException(TaskException.INVALID_ARGUMENT, "the OCI process has no args: nothing to run");
        List<EnvVar> env = new ArrayList<>();
        for (String e : strings(p.path("env"))) {
            int eq = e.indexOf('=');
            if (eq > 0) env.add(new EnvVar(e.substring(0, eq), e.substring(eq + 1)));
        }
        JsonNode user = p.path("user");
        List<String> groups = new ArrayList<>();
        user.path("additionalGids").forEach(g -> groups.add(g.asText()));
        Cmd.Builder b = Cmd.builder(args).envs(env).workDir(p.path("cwd").asText("/"))
                .user(user.has("uid") ? user.path("uid").asText() : "")
                .primaryGroup(user.has("gid") ? user.path("gid").asText() : "")
                .supplementaryGroups(groups)
                .noNewPrivileges(p.path("noNewPrivileges").asBoolean(false))
                .interactive(true);
        JsonNode caps = p.path("capabilities");
        if (caps.isObject()) {
            b.capabilities(new LinuxCapabilities(strings(caps.path("bounding")), strings(caps.path("effective")),
                    strings(caps.path("inheritable")), strings(caps.path("permitted")), strings(caps.path("ambient"))));
        }
        if (terminal) b.console("tty");
        return b.build();
    }

    private static List<Mount> mounts(JsonNode mounts) {
        List<Mount> out = new ArrayList<>();
        for (JsonNode m : mounts) {
            String dest = m.path("destination").asText();
            if (STANDARD_MOUNTS.contains(dest)) continue;
            List<String> options = strings(m.path("options"));
            String type = m.path("type").asText("");
            boolean bind = type.equals("bind") || options.contains("bind") || options.contains("rbind");
            boolean ro = options.contains("ro");
            if (bind) {
                out.add(new Mount(m.path("source").asText(), dest, "bind", options, "", ro));
            } else {
                out.add(new Mount(m.path("source").asText(), dest, type, options, "", ro));
            }
        }
        return out;
    }

    private static LinuxResources resources(JsonNode r) {
        if (r.isMissingNode() || r.isNull()) return LinuxResources.NONE;
        JsonNode cpu = r.path("cpu");
        return new LinuxResources(positiveLong(r.path("memory").path("limit")), positiveLong(cpu.path("shares")),
                positiveLong(cpu.path("quota")), positiveLong(cpu.path("period")),
                cpu.path("cpus").isTextual() && !cpu.path("cpus").asText().isEmpty() ? cpu.path("cpus").asText() : null,
                positiveLong(r.path("pids").path("limit")));
    }

    /** The resources of an Update call (an OCI LinuxResources object as JSON). */
    static LinuxResources resources(byte[] json) {
        try {
            return resources(JSON.readTree(json));
        } catch (IOException e) {
            throw new TaskException(TaskException.INVALID_ARGUMENT, "the resources are not valid JSON: " + problem(e), e);
        }
    }

    /** What is wrong with a JSON text, on one line (Jackson's own message adds the location on a second line). */
    private static String problem(IOException e) {
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getLocation() != null) {
            return j.getOriginalMessage().replaceAll("\\s*\\R\\s*", " ") + " (line " + j.getLocation().getLineNr()
                    + ", column " + j.getLocation().getColumnNr() + ")";
        }
        return String.valueOf(e.getMessage()).replaceAll("\\s*\\R\\s*", " ");
    }

    private static Long positiveLong(JsonNode n) {
        return n.isNumber() && n.asLong() > 0 ? n.asLong() : null;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
