package org.vcj.shim.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.vcj.api.BlkioStats;
import org.vcj.api.BlkioStatsEntry;
import org.vcj.api.CgroupStats;
import org.vcj.api.ContainerStats;
import org.vcj.api.CpuStats;
import org.vcj.api.CpuUsage;
import org.vcj.api.MemoryData;
import org.vcj.api.MemoryStats;
import org.vcj.api.PidsStats;
import org.vcj.api.ThrottlingData;
import org.vcj.shim.proto.CgroupsProto;

class MetricsMapperTest {
    @Test
    void containerStatsBecomeCgroupsV1Metrics() throws Exception {
        ContainerStats stats = new ContainerStats(new CgroupStats(
                new CpuStats(new CpuUsage(300, List.of(100L, 200L), 50, 250), new ThrottlingData(4, 2, 1000)),
                new MemoryStats(7, new MemoryData(4096, 8192, 1, 1 << 20), null, null, true, Map.of("rss", 3000L)),
                new PidsStats(3, 64),
                new BlkioStats(List.of(new BlkioStatsEntry(8, 0, "Read", 512)), List.of())), List.of());
        var any = MetricsMapper.toAny(stats);
        assertEquals("io.containerd.cgroups.v1.Metrics", any.getTypeUrl());
        CgroupsProto.Metrics m = CgroupsProto.Metrics.parseFrom(any.getValue());
        assertEquals(300, m.getCpu().getUsage().getTotal());
        assertEquals(List.of(100L, 200L), m.getCpu().getUsage().getPerCpuList());
        assertEquals(2, m.getCpu().getThrottling().getThrottledPeriods());
        assertEquals(4096, m.getMemory().getUsage().getUsage());
        assertEquals(1 << 20, m.getMemory().getUsage().getLimit());
        assertEquals(7, m.getMemory().getCache());
        assertEquals(3000, m.getMemory().getRss());
        assertEquals(3, m.getPids().getCurrent());
        assertEquals(64, m.getPids().getLimit());
        assertEquals("Read", m.getBlkio().getIoServiceBytesRecursive(0).getOp());
    }

    @Test
    void noCgroupStatsIsEmptyMetrics() throws Exception {
        assertEquals(CgroupsProto.Metrics.getDefaultInstance(),
                CgroupsProto.Metrics.parseFrom(MetricsMapper.toAny(new ContainerStats(null, List.of())).getValue()));
    }
}
