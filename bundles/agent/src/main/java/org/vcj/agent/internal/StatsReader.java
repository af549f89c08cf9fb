package org.vcj.agent.internal;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.vcj.agent.protocol.BlkioStats;
import org.vcj.agent.protocol.BlkioStatsEntry;
import org.vcj.agent.protocol.CgroupStats;
import org.vcj.agent.protocol.CpuStats;
import org.vcj.agent.protocol.CpuUsage;
import org.vcj.agent.protocol.MemoryData;
import org.vcj.agent.protocol.MemoryStats;
import org.vcj.agent.protocol.PidsStats;
import org.vcj.agent.protocol.ThrottlingData;

/** Turns {@code <rt> events --stats <cid>} output into {@link CgroupStats}. Stateless. */
public final class StatsReader {
    private StatsReader() {
    }

    /** Reads the current cgroup statistics of a container. */
    public static CgroupStats read(OciRuntime rt, String cid) throws IOException {
        String out = rt.check("events", "--stats", cid).out().trim();
        int nl = out.indexOf('\n');
        Object root = JsonReader.parse(nl > 0 ? out.substring(0, nl) : out);
        Object data = JsonReader.at(root, "data");
        if (data == null) {
            throw new IOException(rt.name() + " events --stats " + cid + " printed no data: " + out);
        }
        return CgroupStats.newBuilder().setCpuStats(cpu(data)).setMemoryStats(memory(data))
                .setPidsStats(PidsStats.newBuilder().setCurrent(JsonReader.num(data, "pids", "current"))
                        .setLimit(JsonReader.num(data, "pids", "limit")))
                .setBlkioStats(blkio(data)).build();
    }

    private static CpuStats cpu(Object d) {
        CpuUsage.Builder u = CpuUsage.newBuilder().setTotalUsage(JsonReader.num(d, "cpu", "usage", "total"))
                .setUsageInKernelmode(JsonReader.num(d, "cpu", "usage", "kernel"))
                .setUsageInUsermode(JsonReader.num(d, "cpu", "usage", "user"));
        if (JsonReader.at(d, "cpu", "usage", "percpu") instanceof List<?> l) {
            for (Object o : l) {
                u.addPercpuUsage(o instanceof Number n ? n.longValue() : 0);
            }
        }
        ThrottlingData t = ThrottlingData.newBuilder().setPeriods(JsonReader.num(d, "cpu", "throttling", "periods"))
                .setThrottledPeriods(JsonReader.num(d, "cpu", "throttling", "throttledPeriods"))
                .setThrottledTime(JsonReader.num(d, "cpu", "throttling", "throttledTime")).build();
        return CpuStats.newBuilder().setCpuUsage(u).setThrottlingData(t).build();
    }

    private static MemoryStats memory(Object d) {
        MemoryStats.Builder m = MemoryStats.newBuilder().setCache(JsonReader.num(d, "memory", "cache"))
                .setUsage(mem(d, "usage")).setSwapUsage(mem(d, "swap")).setKernelUsage(mem(d, "kernel"));
        if (JsonReader.at(d, "memory", "raw") instanceof Map<?, ?> raw) {
            raw.forEach((k, v) -> m.putStats(String.valueOf(k), v instanceof Number n ? n.longValue() : 0));
        }
        return m.build();
    }

    private static MemoryData mem(Object d, String key) {
        return MemoryData.newBuilder().setUsage(JsonReader.num(d, "memory", key, "usage"))
                .setMaxUsage(JsonReader.num(d, "memory", key, "max"))
                .setFailcnt(JsonReader.num(d, "memory", key, "failcnt"))
                .setLimit(JsonReader.num(d, "memory", key, "limit")).build();
    }

    private static BlkioStats blkio(Object d) {
        BlkioStats.Builder b = BlkioStats.newBuilder();
        entries(JsonReader.at(d, "blkio", "ioServiceBytesRecursive"), b::addIoServiceBytesRecursive);
        entries(JsonReader.at(d, "blkio", "ioServicedRecursive"), b::addIoServicedRecursive);
        return b.build();
    }

    private static void entries(Object list, java.util.function.Consumer<BlkioStatsEntry> sink) {
        if (list instanceof List<?> l) {
            for (Object e : l) {
                sink.accept(BlkioStatsEntry.newBuilder().setMajor(JsonReader.num(e, "major"))
                        .setMinor(JsonReader.num(e, "minor")).setOp(String.valueOf(JsonReader.at(e, "op")))
                        .setValue(JsonReader.num(e, "value")).build());
            }
        }
    }
}
