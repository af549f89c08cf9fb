package org.vcj.api;

/**
 * VM resources: {@code VCPUs} virtual CPUs and {@code Memory} MiB. Zero means "the hypervisor
 * config's default" ({@link HypervisorConfig#numVCPUs()}, {@link HypervisorConfig#memorySize()}).
 */
public record Resources(int vcpus, int memory) {
    public static final Resources DEFAULT = new Resources(0, 0);

    public Resources {
        if (vcpus < 0 || vcpus > 240) throw new InvalidConfigException("Resources.VCPUs", String.valueOf(vcpus), "must be 0 (default) to 240");
        if (memory < 0 || memory > 1024 * 1024) throw new InvalidConfigException("Resources.Memory", String.valueOf(memory), "must be 0 (default) to 1048576 MiB");
    }
}
