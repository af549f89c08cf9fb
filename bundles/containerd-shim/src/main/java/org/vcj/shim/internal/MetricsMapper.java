package org.vcj.shim.internal;

import com.google.protobuf.Any;

import org.vcj.api.BlkioStatsEntry;
import org.vcj.api.CgroupStats;
import org.vcj.api.ContainerStats;
import org.vcj.api.MemoryData;
import org.vcj.shim.proto.CgroupsProto;

/** vcj's {@link ContainerStats} as the cgroups v1 Metrics containerd's clients decode from a task's Stats. */
final class MetricsMapper {
    static final String TYPE_URL = "io.containerd.cgroups.v1.Metrics";

    private MetricsMapper() { }

    static Any toAny(ContainerStats stats) {
        return Any.newBuilder().setTypeUrl(TYPE_URL).setValue(metrics(stats).toByteString()).build();
    }

    static CgroupsProto.Metrics metrics(ContainerStats stats) {
        CgroupsProto.Metrics.Builder m = CgroupsProto.Metrics.newBuilder();
        CgroupStats c = stats == null ? null : stats.cgroupStats();
        if (c == null) return m.build();
        if (c.pidsStats() != null) {
            m.setPids(CgroupsProto.PidsStat.newBuilder().setCurrent(c.pidsStats().current()).setLimit(c.pidsStats().limit()));
        }
        if (c.cpuStats() != null) {
            CgroupsProto.CPUStat.Builder cpu = CgroupsProto.CPUStat.newBuilder();
            if (c.cpuStats().cpuUsage() != null) {
                var u = c.cpuStats().cpuUsage();
                cpu.setUsage(CgroupsProto.CPUUsage.newBuilder().setTotal(u.totalUsage()).setKernel(u.usageInKernelmode())
                        .setUser(u.usageInUsermode()).addAllPerCpu(u.percpuUsage()));
            }
            if (c.cpuStats().throttlingData() != null) {
                var t = c.cpuStats().throttlingData();
                cpu.setThrottling(CgroupsProto.Throttle.newBuilder().setPeriods(t.periods())
                        .setThrottledPeriods(t.throttledPeriods()).setThrottledTime(t.throttledTime()));
            }
            m.setCpu(cpu);
        }
        if (c.memoryStats() != null) {
            var mem = c.memoryStats();
            CgroupsProto.MemoryStat.Builder b = CgroupsProto.MemoryStat.newBuilder().setCache(mem.cache())
                    .setRss(mem.stats().getOrDefault("rss", mem.stats().getOrDefault("anon", 0L)));
            if (mem.usage() != null) b.setUsage(entry(mem.usage()));
            if (mem.swapUsage() != null) b.setSwap(entry(mem.swapUsage()));
            if (mem.kernelUsage() != null) b.setKernel(entry(mem.kernelUsage()));
            m.setMemory(b);
        }
        if (c.blkioStats() != null) {
            CgroupsProto.BlkIOStat.Builder b = CgroupsProto.BlkIOStat.newBuilder();
            for (BlkioStatsEntry e : c.blkioStats().ioServiceBytesRecursive()) b.addIoServiceBytesRecursive(blkio(e));
            for (BlkioStatsEntry e : c.blkioStats().ioServicedRecursive()) b.addIoServicedRecursive(blkio(e));
            m.setBlkio(b);
        }
        return m.build();
    }

    private static CgroupsProto.MemoryEntry entry(MemoryData d) {
        return CgroupsProto.MemoryEntry.newBuilder().setUsage(d.usage()).setMax(d.maxUsage()).setFailcnt(d.failcnt())
                .setLimit(d.limit()).build();
    }

    private static CgroupsProto.BlkIOEntry blkio(BlkioStatsEntry e) {
        return CgroupsProto.BlkIOEntry.newBuilder().setMajor(e.major()).setMinor(e.minor())
                .setOp(e.op() == null ? "" : e.op()).setValue(e.value()).build();
    }
}
