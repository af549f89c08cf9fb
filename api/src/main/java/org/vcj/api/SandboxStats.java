package org.vcj.api;

/**
 * The statistics of a running sandbox: the sum over its containers' cgroups, and the VM's vCPU count.
 *
 * @param cpus number of vCPUs of the VM
 */
public record SandboxStats(CgroupStats cgroupStats, int cpus) { }
