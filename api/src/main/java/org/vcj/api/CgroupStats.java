package org.vcj.api;

/** The cgroup statistics of a container or sandbox. */
public record CgroupStats(CpuStats cpuStats, MemoryStats memoryStats, PidsStats pidsStats, BlkioStats blkioStats) { }
