package org.vcj.agent.client.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.vcj.agent.protocol.ProcessInfo;
import org.vcj.agent.protocol.StatsContainerResponse;
import org.vcj.api.BlkioStats;
import org.vcj.api.BlkioStatsEntry;
import org.vcj.api.CgroupStats;
import org.vcj.api.ContainerStats;
import org.vcj.api.CpuStats;
import org.vcj.api.CpuUsage;
import org.vcj.api.IPAddress;
import org.vcj.api.Interface;
import org.vcj.api.MemoryData;
import org.vcj.api.MemoryStats;
import org.vcj.api.NetworkStats;
import org.vcj.api.PidsStats;
import org.vcj.api.Process;
import org.vcj.api.Route;
import org.vcj.api.ThrottlingData;

/** Maps agent protocol messages to api records. */
final class ProtoResults {
    private ProtoResults() {
    }

    /** The process token is the exec id. */
    static Process process(ProcessInfo p) {
        return new Process(p.getExecId(), p.getPid(), Instant.ofEpochMilli(p.getStartTimeMillis()));
    }

    static Interface iface(org.vcj.agent.protocol.Interface i) {
        List<IPAddress> addresses = new ArrayList<>();
        for (org.vcj.agent.protocol.IPAddress a : i.getIpAddressesList()) {
            int family = a.getFamily() == ProtoRequests.AF_INET6 || a.getFamily() == 6 ? 6 : 4;
            addresses.add(new IPAddress(family, a.getAddress(), a.getMask()));
        }
        return new Interface(i.getDevice(), i.getName(), addresses, i.getMtu(), i.getHwAddr(), i.getPciPath(),
                i.getType(), i.getRawFlags());
    }

    static List<Interface> interfaces(List<org.vcj.agent.protocol.Interface> list) {
        return list.stream().map(ProtoResults::iface).toList();
    }

    static Route route(org.vcj.agent.protocol.Route r) {
        return new Route(r.getDest(), r.getGateway(), r.getDevice(), r.getSource(), r.getScope());
    }

    static List<Route> routes(List<org.vcj.agent.protocol.Route> list) {
        return list.stream().map(ProtoResults::route).toList();
    }

    static ContainerStats stats(StatsContainerResponse r) {
        List<NetworkStats> net = new ArrayList<>();
        for (org.vcj.agent.protocol.NetworkStats n : r.getNetworkStatsList()) {
            net.add(new NetworkStats(n.getName(), n.getRxBytes(), n.getRxPackets(), n.getRxErrors(), n.getRxDropped(),
                    n.getTxBytes(), n.getTxPackets(), n.getTxErrors(), n.getTxDropped()));
        }
        return new ContainerStats(r.hasCgroupStats() ? cgroup(r.getCgroupStats()) : null, net);
    }

    private static CgroupStats cgroup(org.vcj.agent.protocol.CgroupStats c) {
        org.vcj.agent.protocol.CpuStats cpu = c.getCpuStats();
        org.vcj.agent.protocol.CpuUsage u = cpu.getCpuUsage();
        org.vcj.agent.protocol.ThrottlingData t = cpu.getThrottlingData();
        CpuStats cpuStats = new CpuStats(
                new CpuUsage(u.getTotalUsage(), u.getPercpuUsageList(), u.getUsageInKernelmode(), u.getUsageInUsermode()),
                new ThrottlingData(t.getPeriods(), t.getThrottledPeriods(), t.getThrottledTime()));
        org.vcj.agent.protocol.MemoryStats m = c.getMemoryStats();
        MemoryStats memory = new MemoryStats(m.getCache(), memoryData(m.getUsage()), memoryData(m.getSwapUsage()),
                memoryData(m.getKernelUsage()), m.getUseHierarchy(), m.getStatsMap());
        PidsStats pids = new PidsStats(c.getPidsStats().getCurrent(), c.getPidsStats().getLimit());
        BlkioStats blkio = new BlkioStats(blkio(c.getBlkioStats().getIoServiceBytesRecursiveList()),
                blkio(c.getBlkioStats().getIoServicedRecursiveList()));
        return new CgroupStats(cpuStats, memory, pids, blkio);
    }

    private static MemoryData memoryData(org.vcj.agent.protocol.MemoryData d) {
        return new MemoryData(d.getUsage(), d.getMaxUsage(), d.getFailcnt(), d.getLimit());
    }

    private static List<BlkioStatsEntry> blkio(List<org.vcj.agent.protocol.BlkioStatsEntry> list) {
        return list.stream().map(e -> new BlkioStatsEntry(e.getMajor(), e.getMinor(), e.getOp(), e.getValue())).toList();
    }
}
