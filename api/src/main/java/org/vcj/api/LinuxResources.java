package org.vcj.api;

/**
 * Container cgroup limits (the subset of OCI {@code LinuxResources} vcj applies); {@code null} fields are left unchanged.
 *
 * @param memoryLimit memory limit in bytes
 * @param cpuShares   relative CPU weight (cgroup v1 shares; mapped to cpu.weight on v2)
 * @param cpuQuota    CPU time in microseconds per {@code cpuPeriod}
 * @param cpuPeriod   CPU period in microseconds
 * @param cpusetCpus  CPUs the container may run on, e.g. {@code 0-1}
 * @param pidsLimit   maximum number of processes
 */
public record LinuxResources(Long memoryLimit, Long cpuShares, Long cpuQuota, Long cpuPeriod, String cpusetCpus, Long pidsLimit) {
    public static final LinuxResources NONE = new LinuxResources(null, null, null, null, null, null);

    public LinuxResources {
        positive("LinuxResources.Memory.Limit", memoryLimit, 4L * 1024 * 1024);
        positive("LinuxResources.CPU.Shares", cpuShares, 2);
        if (cpuQuota != null && cpuQuota != -1) positive("LinuxResources.CPU.Quota", cpuQuota, 1000);
        positive("LinuxResources.CPU.Period", cpuPeriod, 1000);
        positive("LinuxResources.Pids.Limit", pidsLimit, 1);
        if (cpusetCpus != null && !cpusetCpus.matches("[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*")) {
            throw new InvalidConfigException("LinuxResources.CPU.Cpus", cpusetCpus, "a CPU list looks like 0-1,3");
        }
    }

    private static void positive(String field, Long v, long min) {
        if (v != null && v < min) throw new InvalidConfigException(field, String.valueOf(v), "must be at least " + min);
    }

    public boolean isEmpty() { return equals(NONE); }
}
