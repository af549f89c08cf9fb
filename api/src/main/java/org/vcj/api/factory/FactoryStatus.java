package org.vcj.api.factory;

import java.time.Instant;

/**
 * One thing a {@link VMFactory} keeps: a template, a cache server, a cached VM.
 *
 * @param factory    the factory type
 * @param name       what it is, e.g. the template's key or the cache server's socket
 * @param state      e.g. {@code ready}, {@code building}, {@code serving}
 * @param sizeBytes  bytes it takes on disk (0 when none)
 * @param created    when it was made, or null
 * @param vmsRunning VMs made from it that are running now
 * @param detail     a human-readable detail (configuration, counters), may be empty
 */
public record FactoryStatus(String factory, String name, String state, long sizeBytes, Instant created, int vmsRunning,
                            String detail) {
    public FactoryStatus {
        detail = detail == null ? "" : detail;
    }
}
