package org.vcj.api;

import java.util.List;

/** The statistics of a running container. */
public record ContainerStats(CgroupStats cgroupStats, List<NetworkStats> networkStats) {
    public ContainerStats {
        networkStats = networkStats == null ? List.of() : List.copyOf(networkStats);
    }
}
