package org.vcj.api;

/**
 * The statistics of a running sandbox: the sum over its containers' cgroups, the VM's vCPU count, and what the VM
 * costs the host in memory.
 *
 * @param cpus       number of vCPUs of the VM
 * @param vmPssBytes proportional set size (PSS) on the host of the hypervisor's processes of this sandbox, summed
 *                   (pages shared with other sandboxes, e.g. a template clone's, count in part); 0 when unknown
 */
public record SandboxStats(CgroupStats cgroupStats, int cpus, long vmPssBytes) { }
