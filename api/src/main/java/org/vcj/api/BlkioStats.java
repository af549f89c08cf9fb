package org.vcj.api;

import java.util.List;

/** Block I/O bytes and operations of a cgroup. */
public record BlkioStats(List<BlkioStatsEntry> ioServiceBytesRecursive, List<BlkioStatsEntry> ioServicedRecursive) {
    public BlkioStats {
        ioServiceBytesRecursive = ioServiceBytesRecursive == null ? List.of() : List.copyOf(ioServiceBytesRecursive);
        ioServicedRecursive = ioServicedRecursive == null ? List.of() : List.copyOf(ioServicedRecursive);
    }
}
