package org.vcj.agent.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
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

/**
 * Container statistics read straight from a cgroup v2 directory (crun has no {@code events --stats}).
 * CPU times are converted from microseconds to nanoseconds as runc reports them. Stateless.
 */
public final class CgroupV2Stats {
    private CgroupV2Stats() {
    }

    /** Reads the stats of {@code dir}; fails when the cgroup does not exist. */
    public static CgroupStats read(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("cgroup " + dir + " does not exist: is the container running?");
        }
        Map<String, Long> cpu = keyed(dir.resolve("cpu.stat"));
        CpuStats cpuStats = CpuStats.newBuilder().setCpuUsage(CpuUsage.newBuilder()
                        .setTotalUsage(cpu.getOrDefault("usage_usec", 0L) * 1000)
                        .setUsageInUsermode(cpu.getOrDefault("user_usec", 0L) * 1000)
                        .setUsageInKernelmode(cpu.getOrDefault("system_usec", 0L) * 1000))
                .setThrottlingData(ThrottlingData.newBuilder().setPeriods(cpu.getOrDefault("nr_periods", 0L))
                        .setThrottledPeriods(cpu.getOrDefault("nr_throttled", 0L))
                        .setThrottledTime(cpu.getOrDefault("throttled_usec", 0L) * 1000)).build();
        Map<String, Long> stat = keyed(dir.resolve("memory.stat"));
        Map<String, Long> events = keyed(dir.resolve("memory.events"));
        MemoryStats.Builder mem = MemoryStats.newBuilder().setCache(stat.getOrDefault("file", 0L)).setUseHierarchy(true)
                .setUsage(MemoryData.newBuilder().setUsage(single(dir.resolve("memory.current")))
                        .setMaxUsage(single(dir.resolve("memory.peak"))).setLimit(single(dir.resolve("memory.max")))
                        .setFailcnt(events.getOrDefault("max", 0L)))
                .setSwapUsage(MemoryData.newBuilder().setUsage(single(dir.resolve("memory.swap.current")))
                        .setLimit(single(dir.resolve("memory.swap.max"))))
                .setKernelUsage(MemoryData.newBuilder().setUsage(stat.getOrDefault("kernel", 0L)));
        stat.forEach(mem::putStats);
        PidsStats pids = PidsStats.newBuilder().setCurrent(single(dir.resolve("pids.current")))
                .setLimit(single(dir.resolve("pids.max"))).build();
        return CgroupStats.newBuilder().setCpuStats(cpuStats).setMemoryStats(mem).setPidsStats(pids)
                .setBlkioStats(io(dir.resolve("io.stat"))).build();
    }

    private static BlkioStats io(Path f) {
        BlkioStats.Builder b = BlkioStats.newBuilder();
        for (String line : lines(f)) {
            String[] parts = line.trim().split("\\s+");
            String[] dev = parts[0].split(":");
            if (dev.length != 2) {
                continue;
            }
            long major = Long.parseLong(dev[0]);
            long minor = Long.parseLong(dev[1]);
            for (int i = 1; i < parts.length; i++) {
                String[] kv = parts[i].split("=");
                if (kv.length != 2) {
                    continue;
                }
                BlkioStatsEntry.Builder e = BlkioStatsEntry.newBuilder().setMajor(major).setMinor(minor)
                        .setValue(parse(kv[1]));
                switch (kv[0]) {
                    case "rbytes" -> b.addIoServiceBytesRecursive(e.setOp("Read"));
                    case "wbytes" -> b.addIoServiceBytesRecursive(e.setOp("Write"));
                    case "rios" -> b.addIoServicedRecursive(e.setOp("Read"));
                    case "wios" -> b.addIoServicedRecursive(e.setOp("Write"));
                    default -> { }
                }
            }
        }
        return b.build();
    }

    private static Map<String, Long> keyed(Path f) {
        Map<String, Long> m = new HashMap<>();
        for (String line : lines(f)) {
            String[] kv = line.trim().split("\\s+");
            if (kv.length == 2) {
                m.put(kv[0], parse(kv[1]));
            }
        }
        return m;
    }

    /** A one-value file; "max" and absent files read as 0. */
    private static long single(Path f) {
        java.util.List<String> l = lines(f);
        return l.isEmpty() ? 0 : parse(l.get(0).trim());
    }

    private static long parse(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static java.util.List<String> lines(Path f) {
        try {
            return Files.readAllLines(f);
        } catch (IOException e) {
            return java.util.List.of();
        }
    }
}
