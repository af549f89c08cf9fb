package org.vcj.core.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.vcj.support.process.ProcStat;

/**
 * The runtime's own metrics of a sandbox (Prometheus text), refreshed by updateRuntimeMetrics: the resident
 * memory and CPU time of the hypervisor's processes, read from /proc.
 */
final class RuntimeMetrics {

    private static final Map<String, String> LAST = new ConcurrentHashMap<>();
    private static final long TICKS_PER_SECOND = 100;

    private RuntimeMetrics() { }

    static void update(SandboxOps ops, String sandboxId) {
        SandboxRecord r = ops.load(sandboxId);
        List<Long> pids = ops.vmPids(r);
        StringBuilder sb = new StringBuilder();
        sb.append("# HELP vcj_hypervisor_rss_bytes Resident memory of a hypervisor process.\n")
          .append("# TYPE vcj_hypervisor_rss_bytes gauge\n");
        for (long pid : pids) sb.append(line("vcj_hypervisor_rss_bytes", sandboxId, pid, ProcMemory.rssBytes(pid)));
        sb.append("# HELP vcj_hypervisor_pss_bytes Proportional set size of a hypervisor process.\n")
          .append("# TYPE vcj_hypervisor_pss_bytes gauge\n");
        for (long pid : pids) sb.append(line("vcj_hypervisor_pss_bytes", sandboxId, pid, ProcMemory.pssBytes(pid)));
        sb.append("# HELP vcj_hypervisor_cpu_seconds_total CPU time of a hypervisor process.\n")
          .append("# TYPE vcj_hypervisor_cpu_seconds_total counter\n");
        for (long pid : pids) sb.append(line("vcj_hypervisor_cpu_seconds_total", sandboxId, pid, cpuSeconds(pid)));
        LAST.put(sandboxId, sb.toString());
    }

    /** The figures of the last update, or nothing before the first. */
    static String text(String sandboxId) {
        return LAST.getOrDefault(sandboxId, "");
    }

    private static String line(String name, String sandboxId, long pid, Number value) {
        return name + "{sandbox_id=\"" + sandboxId + "\",pid=\"" + pid + "\"} " + value + "\n";
    }

    private static double cpuSeconds(long pid) {
        return ProcStat.of(pid).map(st -> (st.utime() + st.stime()) / (double) TICKS_PER_SECOND).orElse(0.0);
    }
}
