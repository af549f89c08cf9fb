package org.vcj.api;

/** CPU statistics of a cgroup. */
public record CpuStats(CpuUsage cpuUsage, ThrottlingData throttlingData) { }
