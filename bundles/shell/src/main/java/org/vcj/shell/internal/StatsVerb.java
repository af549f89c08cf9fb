package org.vcj.shell.internal;

import java.util.List;
import org.vcj.api.CgroupStats;
import org.vcj.api.ContainerState;
import org.vcj.api.ContainerStatus;
import org.vcj.api.ContainerStats;
import org.vcj.api.SandboxStats;
import org.vcj.api.MemoryData;
import org.vcj.api.SandboxStatus;
import org.vcj.api.VCSandbox;

/** {@code stats}: the VM's vCPUs and host memory (PSS), and CPU time, memory and task count of each container. */
final class StatsVerb implements Verb {
    /** The full usage text (also the Gogo command's description). */
    static final String USAGE = """
                vcj stats ID
                  Prints the VM's vCPUs and the host memory its processes use (PSS: shared pages count in part), then one line per container (values only for running or paused ones): CPU time used (user, kernel), memory in use / limit,
                  peak memory, tasks / limit.""";

    /** cgroup v1 reports "no limit" as a number near 2^63. */
    private static final long UNLIMITED = 1L << 62;

    @Override public String name() { return "stats"; }

    @Override public String summary() { return "show resource usage of a sandbox's containers"; }

    @Override public String usage() { return USAGE; }

    @Override public List<Option> options() { return List.of(); }

    @Override
    public int execute(CommandLine cl, VerbContext ctx) {
        String id = cl.requirePositionals("ID").get(0);
        SandboxStatus status = ctx.vc().statusSandbox(id);
        VCSandbox sandbox = ctx.vc().fetchSandbox(id);
        SandboxStats vm = sandbox.stats();
        ctx.io().out().println("sandbox " + id + ": " + vm.cpus() + " vCPUs, VM memory on the host (PSS) "
                + (vm.vmPssBytes() > 0 ? Formats.bytes(vm.vmPssBytes()) : "unknown"));
        Tables t = new Tables("CONTAINER", "CPU", "USER", "KERNEL", "MEMORY", "PEAK", "PIDS");
        for (ContainerStatus c : status.containersStatus()) {
            boolean live = c.state() == ContainerState.RUNNING || c.state() == ContainerState.PAUSED;
            t.row(live ? row(c.id(), sandbox.statsContainer(c.id())) : new Object[] {c.id() + " (" + c.state() + ")", null, null, null, null, null, null});
        }
        ctx.io().out().print(t.render());
        return 0;
    }

    static Object[] row(String cid, ContainerStats stats) {
        CgroupStats cg = stats.cgroupStats();
        Object[] r = {cid, null, null, null, null, null, null};
        if (cg == null) return r;
        if (cg.cpuStats() != null && cg.cpuStats().cpuUsage() != null) {
            var u = cg.cpuStats().cpuUsage();
            r[1] = Formats.cpuSeconds(u.totalUsage());
            r[2] = Formats.cpuSeconds(u.usageInUsermode());
            r[3] = Formats.cpuSeconds(u.usageInKernelmode());
        }
        if (cg.memoryStats() != null && cg.memoryStats().usage() != null) {
            MemoryData m = cg.memoryStats().usage();
            long limit = m.limit() >= UNLIMITED ? 0 : m.limit();
            r[4] = Formats.withLimit(Formats.bytes(m.usage()), limit, Formats.bytes(limit));
            r[5] = m.maxUsage() > 0 ? Formats.bytes(m.maxUsage()) : null;
        }
        if (cg.pidsStats() != null) {
            long limit = cg.pidsStats().limit() >= UNLIMITED ? 0 : cg.pidsStats().limit();
            r[6] = Formats.withLimit(String.valueOf(cg.pidsStats().current()), limit, String.valueOf(limit));
        }
        return r;
    }
}
