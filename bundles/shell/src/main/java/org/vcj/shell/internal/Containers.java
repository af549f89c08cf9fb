package org.vcj.shell.internal;

import java.util.List;
import org.vcj.api.ContainerStatus;
import org.vcj.api.EnvVar;
import org.vcj.api.InvalidStateException;
import org.vcj.api.SandboxStatus;
import org.vcj.api.VC;

/** Shared helpers: which container of a sandbox a verb acts on, and {@code --env} parsing. */
final class Containers {
    /** Option that picks a container when a sandbox has several. */
    static final Option CONTAINER = Option.value("container");
    /** The default PATH of a container process. */
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private Containers() { }

    /**
     * The container a verb acts on: {@code --container} when given, else the sandbox's only container,
     * else the one whose id is the sandbox id (what {@code run} creates).
     */
    static String target(VC vc, String sandboxId, CommandLine cl) {
        String explicit = cl.get(CONTAINER.name(), null);
        if (explicit != null) return explicit;
        SandboxStatus s = vc.statusSandbox(sandboxId);
        List<ContainerStatus> cs = s.containersStatus();
        if (cs.size() == 1) return cs.get(0).id();
        for (ContainerStatus c : cs) {
            if (c.id().equals(sandboxId)) return c.id();
        }
        if (cs.isEmpty()) {
            throw new InvalidStateException(sandboxId, s.state(), "find a container in", null);
        }
        throw new UsageException("sandbox '" + sandboxId + "' has " + cs.size() + " containers: choose one with --container=ID");
    }

    /** The environment: PATH by default, then each {@code K=V} (a later one replaces an earlier one with the same key). */
    static List<EnvVar> env(List<String> specs) {
        java.util.LinkedHashMap<String, String> env = new java.util.LinkedHashMap<>();
        env.put("PATH", DEFAULT_PATH);
        for (String s : specs) {
            int eq = s.indexOf('=');
            if (eq <= 0) throw new UsageException("--env needs KEY=VALUE, got '" + s + "'");
            env.put(s.substring(0, eq), s.substring(eq + 1));
        }
        return env.entrySet().stream().map(e -> new EnvVar(e.getKey(), e.getValue())).toList();
    }
}
