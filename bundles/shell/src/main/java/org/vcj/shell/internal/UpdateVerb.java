package org.vcj.shell.internal;

import java.util.List;
import org.vcj.api.LinuxResources;

/**
 * {@code update}: changes a container's CPU and memory limits; a limit beyond what the VM has grows the VM first
 * (vCPU and memory hotplug, on a hypervisor that can).
 */
final class UpdateVerb implements Verb {
    /** The full usage text (also the Gogo command's description). */
    static final String USAGE = """
                vcj update ID [OPTIONS]
                  Changes the CPU and memory limits of the sandbox's container. When a limit is more than the VM has,
                  the VM grows first (hot-plugged vCPUs / memory, onlined in the guest); the hypervisor must support it.
                  --cpus=N           CPUs the container may use (a CFS quota of N periods)
                  --memory=MiB       memory limit of the container
                  --container=CID    the container, when the sandbox has several""";

    private static final long PERIOD = 100_000;

    @Override public String name() { return "update"; }

    @Override public String summary() { return "change a container's CPU and memory limits"; }

    @Override public String usage() { return USAGE; }

    @Override public List<Option> options() {
        return List.of(Option.value("cpus"), Option.value("memory"), Containers.CONTAINER);
    }

    @Override
    public int execute(CommandLine cl, VerbContext ctx) {
        String id = cl.requirePositionals("ID").get(0);
        if (!cl.has("cpus") && !cl.has("memory")) throw new UsageException("give --cpus=N and/or --memory=MiB");
        int cpus = cl.intValue("cpus", 0);
        int memory = cl.intValue("memory", 0);
        if (cl.has("cpus") && cpus < 1) throw new UsageException("--cpus must be at least 1");
        if (cl.has("memory") && memory < 4) throw new UsageException("--memory must be at least 4 (MiB)");
        LinuxResources r = new LinuxResources(cl.has("memory") ? memory * 1024L * 1024 : null, null,
                cl.has("cpus") ? cpus * PERIOD : null, cl.has("cpus") ? PERIOD : null, null, null);
        String cid = Containers.target(ctx.vc(), id, cl);
        ctx.vc().fetchSandbox(id).updateContainer(cid, r);
        return 0;
    }
}
