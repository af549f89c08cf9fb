package org.vcj.api;

/** Counters of one network interface. */
public record NetworkStats(String name, long rxBytes, long rxPackets, long rxErrors, long rxDropped,
                           long txBytes, long txPackets, long txErrors, long txDropped) { }
