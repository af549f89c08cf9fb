package org.vcj.api;

/** CFS throttling counters; {@code throttledTime} in nanoseconds. */
public record ThrottlingData(long periods, long throttledPeriods, long throttledTime) { }
