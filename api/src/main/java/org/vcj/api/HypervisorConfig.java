package org.vcj.api;

import java.util.List;

/**
 * The hypervisor configuration (Kata {@code HypervisorConfig}). Paths left empty mean "the
 * plugin's configured default". Build one with {@link #builder()}; records are immutable.
 *
 * @param kernelPath            guest kernel host path
 * @param imagePath             guest image host path (qemu: the read-only disk image with the JRE and the agent)
 * @param firmwarePath          BIOS host path
 * @param machineAccelerators   machine specific accelerators; vcj reads {@code auto}, {@code kvm} or {@code tcg} here
 * @param cpuFeatures           CPU specific features
 * @param hypervisorPath        hypervisor executable host path
 * @param disableBlockDeviceUse disallow a block device from being used
 * @param sharedFS              {@code virtio-9p} (default) or {@code virtio-fs}
 * @param virtioFSDaemon        virtio-fs vhost-user daemon path
 * @param virtioFSCacheSize     virtio-fs DAX cache size in MiB
 * @param virtioFSCache         virtio-fs cache mode, or {@code none}
 * @param kernelParams          additional guest kernel parameters
 * @param hypervisorParams      additional hypervisor parameters
 * @param hypervisorMachineType emulated machine type ({@code q35} when empty)
 * @param debug                 enable debug output where available
 * @param numVCPUs              default vCPUs; {@link SandboxConfig#vmConfig()} overrides it
 * @param memorySize            default memory in MiB; {@link SandboxConfig#vmConfig()} overrides it
 * @param defaultBridges        number of bridges (PCIe root ports) for hotplug
 * @param memPrealloc           pre-allocate memory
 * @param hugePages             pre-allocate memory from huge pages
 * @param realtime              enable realtime
 * @param mlock                 lock memory when realtime is on
 * @param disableNestingChecks  override customisations made when running on top of another VMM
 */
public record HypervisorConfig(
        String kernelPath, String imagePath, String firmwarePath, String machineAccelerators, String cpuFeatures,
        String hypervisorPath, boolean disableBlockDeviceUse, String sharedFS, String virtioFSDaemon,
        int virtioFSCacheSize, String virtioFSCache, List<Param> kernelParams, List<Param> hypervisorParams,
        String hypervisorMachineType, boolean debug, int numVCPUs, int memorySize, int defaultBridges,
        boolean memPrealloc, boolean hugePages, boolean realtime, boolean mlock, boolean disableNestingChecks) {

    public static final String SHARED_FS_VIRTIO_9P = "virtio-9p";
    public static final String SHARED_FS_VIRTIO_FS = "virtio-fs";
    /** A config with every field at its default. */
    public static final HypervisorConfig DEFAULT = builder().build();

    public HypervisorConfig {
        kernelPath = optionalPath("HypervisorConfig.KernelPath", kernelPath);
        imagePath = optionalPath("HypervisorConfig.ImagePath", imagePath);
        firmwarePath = optionalPath("HypervisorConfig.FirmwarePath", firmwarePath);
        hypervisorPath = optionalPath("HypervisorConfig.HypervisorPath", hypervisorPath);
        virtioFSDaemon = optionalPath("HypervisorConfig.VirtioFSDaemon", virtioFSDaemon);
        machineAccelerators = machineAccelerators == null ? "" : machineAccelerators;
        cpuFeatures = cpuFeatures == null ? "" : cpuFeatures;
        sharedFS = sharedFS == null || sharedFS.isEmpty() ? SHARED_FS_VIRTIO_9P : sharedFS;
        if (!sharedFS.equals(SHARED_FS_VIRTIO_9P) && !sharedFS.equals(SHARED_FS_VIRTIO_FS)) {
            throw new InvalidConfigException("HypervisorConfig.SharedFS", sharedFS, "must be virtio-9p or virtio-fs");
        }
        virtioFSCache = virtioFSCache == null ? "" : virtioFSCache;
        kernelParams = kernelParams == null ? List.of() : List.copyOf(kernelParams);
        hypervisorParams = hypervisorParams == null ? List.of() : List.copyOf(hypervisorParams);
        hypervisorMachineType = hypervisorMachineType == null ? "" : hypervisorMachineType;
        if (virtioFSCacheSize < 0) throw new InvalidConfigException("HypervisorConfig.VirtioFSCacheSize", String.valueOf(virtioFSCacheSize), "must not be negative");
        if (numVCPUs < 0 || numVCPUs > 240) throw new InvalidConfigException("HypervisorConfig.NumVCPUs", String.valueOf(numVCPUs), "must be 0 (plugin default) to 240");
        if (memorySize < 0 || memorySize > 1024 * 1024) throw new InvalidConfigException("HypervisorConfig.MemorySize", String.valueOf(memorySize), "must be 0 (plugin default) to 1048576 MiB");
        if (defaultBridges < 0 || defaultBridges > 30) throw new InvalidConfigException("HypervisorConfig.DefaultBridges", String.valueOf(defaultBridges), "must be 0 to 30");
    }

    private static String optionalPath(String field, String p) {
        return p == null || p.isEmpty() ? "" : Paths.requireAbsolute(field, p);
    }

    public static Builder builder() { return new Builder(); }

    /** A builder preset with this config's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.kernelPath = kernelPath; b.imagePath = imagePath; b.firmwarePath = firmwarePath;
        b.machineAccelerators = machineAccelerators; b.cpuFeatures = cpuFeatures; b.hypervisorPath = hypervisorPath;
        b.disableBlockDeviceUse = disableBlockDeviceUse; b.sharedFS = sharedFS; b.virtioFSDaemon = virtioFSDaemon;
        b.virtioFSCacheSize = virtioFSCacheSize; b.virtioFSCache = virtioFSCache; b.kernelParams = kernelParams;
        b.hypervisorParams = hypervisorParams; b.hypervisorMachineType = hypervisorMachineType; b.debug = debug;
        b.numVCPUs = numVCPUs; b.memorySize = memorySize; b.defaultBridges = defaultBridges; b.memPrealloc = memPrealloc;
        b.hugePages = hugePages; b.realtime = realtime; b.mlock = mlock; b.disableNestingChecks = disableNestingChecks;
        return b;
    }

    /** Builder for {@link HypervisorConfig}; not thread-safe. */
    public static final class Builder {
        private String kernelPath, imagePath, firmwarePath, machineAccelerators, cpuFeatures, hypervisorPath;
        private boolean disableBlockDeviceUse;
        private String sharedFS, virtioFSDaemon, virtioFSCache, hypervisorMachineType;
        private int virtioFSCacheSize, numVCPUs, memorySize, defaultBridges;
        private List<Param> kernelParams = List.of(), hypervisorParams = List.of();
        private boolean debug, memPrealloc, hugePages, realtime, mlock, disableNestingChecks;

        private Builder() { }

        public Builder kernelPath(String v) { kernelPath = v; return this; }
        public Builder imagePath(String v) { imagePath = v; return this; }
        public Builder firmwarePath(String v) { firmwarePath = v; return this; }
        public Builder machineAccelerators(String v) { machineAccelerators = v; return this; }
        public Builder cpuFeatures(String v) { cpuFeatures = v; return this; }
        public Builder hypervisorPath(String v) { hypervisorPath = v; return this; }
        public Builder disableBlockDeviceUse(boolean v) { disableBlockDeviceUse = v; return this; }
        public Builder sharedFS(String v) { sharedFS = v; return this; }
        public Builder virtioFSDaemon(String v) { virtioFSDaemon = v; return this; }
        public Builder virtioFSCacheSize(int v) { virtioFSCacheSize = v; return this; }
        public Builder virtioFSCache(String v) { virtioFSCache = v; return this; }
        public Builder kernelParams(List<Param> v) { kernelParams = v; return this; }
        public Builder hypervisorParams(List<Param> v) { hypervisorParams = v; return this; }
        public Builder hypervisorMachineType(String v) { hypervisorMachineType = v; return this; }
        public Builder debug(boolean v) { debug = v; return this; }
        public Builder numVCPUs(int v) { numVCPUs = v; return this; }
        public Builder memorySize(int v) { memorySize = v; return this; }
        public Builder defaultBridges(int v) { defaultBridges = v; return this; }
        public Builder memPrealloc(boolean v) { memPrealloc = v; return this; }
        public Builder hugePages(boolean v) { hugePages = v; return this; }
        public Builder realtime(boolean v) { realtime = v; return this; }
        public Builder mlock(boolean v) { mlock = v; return this; }
        public Builder disableNestingChecks(boolean v) { disableNestingChecks = v; return this; }

        /** @throws InvalidConfigException naming the first field that is not acceptable */
        public HypervisorConfig build() {
            return new HypervisorConfig(kernelPath, imagePath, firmwarePath, machineAccelerators, cpuFeatures,
                    hypervisorPath, disableBlockDeviceUse, sharedFS, virtioFSDaemon, virtioFSCacheSize, virtioFSCache,
                    kernelParams, hypervisorParams, hypervisorMachineType, debug, numVCPUs, memorySize, defaultBridges,
                    memPrealloc, hugePages, realtime, mlock, disableNestingChecks);
        }
    }
}
