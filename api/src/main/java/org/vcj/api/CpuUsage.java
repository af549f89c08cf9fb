package org.vcj.api;

import java.util.List;

/** CPU time consumed, in nanoseconds. */
public record CpuUsage(long totalUsage, List<Long> percpuUsage, long usageInKernelmode, long usageInUsermode) {
    public CpuUsage {
        percpuUsage = percpuUsage == null ? List.of() : List.copyOf(percpuUsage);
    }
}
