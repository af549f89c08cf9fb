package org.vcj.api;

import java.util.Map;

/** Memory statistics of a cgroup; {@code stats} holds the raw memory.stat counters. */
public record MemoryStats(long cache, MemoryData usage, MemoryData swapUsage, MemoryData kernelUsage,
                          boolean useHierarchy, Map<String, Long> stats) {
    public MemoryStats {
        stats = stats == null ? Map.of() : Map.copyOf(stats);
    }
}
