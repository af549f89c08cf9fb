package org.vcj.api;

/** One block I/O counter: device major:minor, operation ({@code Read}, {@code Write} ...), value. */
public record BlkioStatsEntry(long major, long minor, String op, long value) { }
