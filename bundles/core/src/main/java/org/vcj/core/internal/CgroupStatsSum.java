package org.vcj.core.internal;

import java.util.List;
import java.util.Map;

import org.vcj.api.BlkioStats;
import org.vcj.api.CgroupStats;
import org.vcj.api.CpuStats;
import org.vcj.api.CpuUsage;
import org.vcj.api.MemoryData;
import org.vcj.api.MemoryStats;
import org.vcj.api.PidsStats;
import org.vcj.api.ThrottlingData;

/** The sandbox's cgroup figures: the sum of its running containers' CPU time, memory and pids. */
final class CgroupStatsSum {

    private CgroupStatsSum() { }

    static CgroupStats of(List<CgroupStats> parts) {
        long cpu = 0, kernel = 0, user = 0, mem = 0, maxMem = 0, cache = 0, pids = 0;
        for (CgroupStats s : parts) {
            if (s == null) continue;
            if (s.cpuStats() != null && s.cpuStats().cpuUsage() != null) {
                CpuUsage u = s.cpuStats().cpuUsage();
                cpu += u.totalUsage();
                kernel += u.usageInKernelmode();
                user += u.usageInUsermode();
            }
            if (s.memoryStats() != null) {
                cache += s.memoryStats().cache();
                if (s.memoryStats().usage() != null) {
                    mem += s.memoryStats().usage().usage();
                    maxMem += s.memoryStats().usage().maxUsage();
                }
            }
            if (s.pidsStats() != null) pids += s.pidsStats().current();
        }
        return new CgroupStats(new CpuStats(new CpuUsage(cpu, List.of(), kernel, user), new ThrottlingData(0, 0, 0)),
                new MemoryStats(cache, new MemoryData(mem, maxMem, 0, 0), null, null, true, Map.of()),
                new PidsStats(pids, 0), new BlkioStats(List.of(), List.of()));
    }
}
