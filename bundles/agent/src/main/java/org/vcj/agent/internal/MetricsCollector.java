package org.vcj.agent.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Prometheus text metrics of the agent and guest (all read live). Stateless apart from its start time. */
public final class MetricsCollector {
    private final ContainerManager containers;
    private final long startNanos;

    public MetricsCollector(ContainerManager containers, long startNanos) {
        this.containers = containers;
        this.startNanos = startNanos;
    }

    /** Renders the metrics in the Prometheus text exposition format. */
    public String render() {
        StringBuilder b = new StringBuilder(1024);
        gauge(b, "vcj_agent_uptime_seconds", "Seconds since the agent started.", "",
                (System.nanoTime() - startNanos) / 1e9);
        int[] byState = new int[Container.State.values().length];
        int procs = 0;
        for (Container c : containers.all()) {
            byState[c.state().ordinal()]++;
            procs += c.main() != null && c.main().alive() ? 1 : 0;
            for (ManagedProcess p : c.execs().values()) {
                procs += p.alive() ? 1 : 0;
            }
        }
        b.append("# HELP vcj_agent_containers Containers by state.\n# TYPE vcj_agent_containers gauge\n");
        for (Container.State s : Container.State.values()) {
            b.append("vcj_agent_containers{state=\"").append(s.name().toLowerCase()).append("\"} ")
                    .append(byState[s.ordinal()]).append('\n');
        }
        gauge(b, "vcj_agent_processes", "Container processes (main and exec) running.", "", procs);
        Runtime rt = Runtime.getRuntime();
        gauge(b, "vcj_agent_jvm_heap_used_bytes", "Agent JVM heap in use.", "", rt.totalMemory() - rt.freeMemory());
        String sid = containers.sandboxId();
        if (sid != null) {
            b.append("# HELP vcj_container_memory_usage_bytes Container cgroup memory usage.\n")
                    .append("# TYPE vcj_container_memory_usage_bytes gauge\n");
            for (Container c : containers.all()) {
                long m = CgroupFiles.memoryUsage(sid, c.id());
                if (m >= 0) {
                    b.append("vcj_container_memory_usage_bytes{container_id=\"").append(c.id()).append("\"} ")
                            .append(m).append('\n');
                }
            }
        }
        guest(b);
        return b.toString();
    }

    private static void guest(StringBuilder b) {
        try {
            String[] load = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            gauge(b, "vcj_guest_load1", "Guest 1-minute load average.", "", Double.parseDouble(load[0]));
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                String[] f = line.split("\\s+");
                if (f[0].equals("MemTotal:") || f[0].equals("MemAvailable:")) {
                    String name = f[0].equals("MemTotal:") ? "total" : "available";
                    gauge(b, "vcj_guest_memory_" + name + "_bytes", "Guest memory " + name + ".", "",
                            Long.parseLong(f[1]) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            b.append("# guest metrics unavailable: ").append(e.getMessage()).append('\n');
        }
    }

    private static void gauge(StringBuilder b, String name, String help, String labels, double v) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" gauge\n").append(name).append(labels).append(' ');
        if (v == Math.rint(v)) {
            b.append((long) v);
        } else {
            b.append(v);
        }
        b.append('\n');
    }
}
