package org.vcj.agent.internal;

import java.util.ArrayList;
import java.util.List;
import org.vcj.agent.protocol.Capabilities;
import org.vcj.agent.protocol.Cmd;
import org.vcj.agent.protocol.CreateContainerRequest;
import org.vcj.agent.protocol.Device;
import org.vcj.agent.protocol.EnvVar;
import org.vcj.agent.protocol.LinuxResources;

/** Writes an OCI runtime-spec config.json (and exec process.json) from agent requests. Stateless. */
public final class OciSpecWriter {
    /** Annotation asking for a new network namespace for the container ("true"). */
    public static final String NETNS_ANNOTATION = "org.vcj.agent.netns";

    private static final List<String> DEFAULT_CAPS = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID",
            "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
            "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");
    private static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private OciSpecWriter() {
    }

    /** The full config.json for a container of sandbox {@code sandboxId}. */
    public static String config(CreateContainerRequest req, String sandboxId, String hostname) {
        JsonWriter w = new JsonWriter().beginObject(null).value("ociVersion", "1.0.2");
        process(w, "process", req.getCmd());
        w.beginObject("root").value("path", req.getRootfs()).value("readonly", req.getReadonlyRootfs()).endObject();
        if (!hostname.isEmpty()) {
            w.value("hostname", hostname);
        }
        OciMounts.write(w, req.getMountsList());
        linux(w, req, sandboxId);
        w.beginObject("annotations");
        req.getAnnotationsMap().forEach(w::value);
        return w.endObject().endObject().toString();
    }

    /** A process.json for {@code <rt> exec --process}. */
    public static String process(Cmd cmd) {
        JsonWriter w = new JsonWriter();
        process(w, null, cmd);
        return w.toString();
    }

    static void process(JsonWriter w, String field, Cmd cmd) {
        if (cmd.getArgsCount() == 0) {
            throw AgentErrors.invalid("the command has no args: give at least the program to run");
        }
        w.beginObject(field).value("terminal", cmd.getTerminal());
        int[] ids = user(cmd);
        w.beginObject("user").value("uid", ids[0]).value("gid", ids[1]);
        if (cmd.getSupplementaryGroupsCount() > 0) {
            w.beginArray("additionalGids");
            for (String g : cmd.getSupplementaryGroupsList()) {
                w.value(null, number(g, "supplementary group"));
            }
            w.endArray();
        }
        w.endObject().strings("args", cmd.getArgsList());
        List<String> env = new ArrayList<>();
        boolean hasPath = false;
        boolean hasTerm = false;
        for (EnvVar e : cmd.getEnvsList()) {
            env.add(e.getVar() + "=" + e.getValue());
            hasPath |= e.getVar().equals("PATH");
            hasTerm |= e.getVar().equals("TERM");
        }
        if (!hasPath) {
            env.add(0, DEFAULT_PATH);
        }
        if (cmd.getTerminal() && !hasTerm) {
            env.add("TERM=xterm");   // as docker does for -t: programs need a terminal type to draw
        }
        w.strings("env", env).value("cwd", cmd.getWorkDir().isEmpty() ? "/" : cmd.getWorkDir());
        capabilities(w, cmd);
        w.beginArray("rlimits").beginObject(null).value("type", "RLIMIT_NOFILE").value("hard", 1024)
                .value("soft", 1024).endObject().endArray();
        w.value("noNewPrivileges", cmd.getNoNewPrivileges()).endObject();
    }

    private static void capabilities(JsonWriter w, Cmd cmd) {
        w.beginObject("capabilities");
        if (!cmd.hasCapabilities()) {
            w.strings("bounding", DEFAULT_CAPS).strings("effective", DEFAULT_CAPS)
                    .strings("permitted", DEFAULT_CAPS).strings("inheritable", List.of()).strings("ambient", List.of());
        } else {
            Capabilities c = cmd.getCapabilities();
            w.strings("bounding", c.getBoundingList()).strings("effective", c.getEffectiveList())
                    .strings("permitted", c.getPermittedList()).strings("inheritable", c.getInheritableList())
                    .strings("ambient", c.getAmbientList());
        }
        w.endObject();
    }

    private static int[] user(Cmd cmd) {
        String u = cmd.getUser();
        int uid = 0;
        int gid = 0;
        if (!u.isEmpty()) {
            String[] parts = u.split(":", 2);
            uid = parts[0].equals("root") ? 0 : number(parts[0], "user");
            if (parts.length == 2) {
                gid = parts[1].equals("root") ? 0 : number(parts[1], "group");
            }
        }
        if (!cmd.getPrimaryGroup().isEmpty()) {
            gid = number(cmd.getPrimaryGroup(), "primary group");
        }
        return new int[] {uid, gid};
    }

    private static int number(String s, String what) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw AgentErrors.invalid(what + " '" + s + "' is not numeric: this agent takes numeric uid/gid only");
        }
    }

    private static void linux(JsonWriter w, CreateContainerRequest req, String sandboxId) {
        w.beginObject("linux");
        w.value("cgroupsPath", cgroupsPath(sandboxId, req.getContainerId()));
        w.beginArray("namespaces");
        for (String ns : List.of("pid", "ipc", "uts", "mount")) {
            w.beginObject(null).value("type", ns).endObject();
        }
        if ("true".equals(req.getAnnotationsMap().get(NETNS_ANNOTATION))) {
            w.beginObject(null).value("type", "network").endObject();
        }
        w.endArray();
        devices(w, req);
        resources(w, req);
        w.strings("maskedPaths", List.of("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
                "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
                "/sys/firmware", "/proc/scsi"));
        w.strings("readonlyPaths", List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"));
        w.endObject();
    }

    /** The container's cgroup under the agent's own: {@code /vcj/<sandbox>/<container>}. */
    static String cgroupsPath(String sandboxId, String containerId) {
        return "/vcj/" + sandboxId + "/" + containerId;
    }

    /** {@code linux.devices}: the request's devices (guest nodes). */
    static void devices(JsonWriter w, CreateContainerRequest req) {
        w.beginArray("devices");
        for (Device d : req.getDevicesList()) {
            w.beginObject(null).value("path", d.getContainerPath()).value("type", d.getType().isEmpty() ? "c" : d.getType())
                    .value("major", d.getMajor()).value("minor", d.getMinor()).value("fileMode", d.getFileMode())
                    .value("uid", d.getUid()).value("gid", d.getGid()).endObject();
        }
        w.endArray();
    }

    /** {@code linux.resources}: the request's devices allowed (all others denied) and its limits. */
    static void resources(JsonWriter w, CreateContainerRequest req) {
        w.beginObject("resources").beginArray("devices");
        w.beginObject(null).value("allow", false).value("access", "rwm").endObject();
        for (Device d : req.getDevicesList()) {
            w.beginObject(null).value("allow", true).value("type", d.getType().isEmpty() ? "c" : d.getType())
                    .value("major", d.getMajor()).value("minor", d.getMinor()).value("access", "rwm").endObject();
        }
        w.endArray();
        LinuxResources r = req.getResources();
        if (r.hasMemoryLimit()) {
            w.beginObject("memory").value("limit", r.getMemoryLimit()).endObject();
        }
        if (r.hasCpuShares() || r.hasCpuQuota() || r.hasCpuPeriod() || r.hasCpusetCpus()) {
            w.beginObject("cpu");
            if (r.hasCpuShares()) {
                w.value("shares", r.getCpuShares());
            }
            if (r.hasCpuQuota()) {
                w.value("quota", r.getCpuQuota());
            }
            if (r.hasCpuPeriod()) {
                w.value("period", r.getCpuPeriod());
            }
            if (r.hasCpusetCpus()) {
                w.value("cpus", r.getCpusetCpus());
            }
            w.endObject();
        }
        if (r.hasPidsLimit()) {
            w.beginObject("pids").value("limit", r.getPidsLimit()).endObject();
        }
        w.endObject();
    }
}
