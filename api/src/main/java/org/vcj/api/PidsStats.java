package org.vcj.api;

/** Number of tasks in a cgroup and its limit (0 when unlimited). */
public record PidsStats(long current, long limit) { }
