package org.vcj.api;

/** One memory counter set in bytes: current usage, peak, failure count, limit (0 when unlimited). */
public record MemoryData(long usage, long maxUsage, long failcnt, long limit) { }
