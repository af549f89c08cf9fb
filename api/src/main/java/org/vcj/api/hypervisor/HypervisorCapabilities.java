package org.vcj.api.hypervisor;

import java.util.Set;

/**
 * What a hypervisor plugin can do; the core refuses operations a plugin lacks with a {@code NotSupportedException}
 * naming the hypervisor, before it changes anything.
 *
 * @param blockDeviceHotplug a host file or block device can be hot-plugged as a disk ({@link Hypervisor#addDevice});
 *                           without it a container's block devices must be host device nodes
 * @param cpuHotplug         vCPUs can be added to a running VM ({@link Hypervisor#resizeVCPUs})
 * @param memoryHotplug      memory can be added to a running VM ({@link Hypervisor#resizeMemory})
 * @param networkHotplug     network interfaces can be hot-plugged
 * @param pause              the VM itself can be paused ({@link Hypervisor#pauseVM}); without it pausing a sandbox
 *                           freezes its containers only
 * @param save               the VM's state can be saved ({@link Hypervisor#saveVM}, for templates)
 * @param isolation          the containers run in a VM of their own (not on the host)
 * @param sharedFS           the shared file system types it offers
 */
public record HypervisorCapabilities(boolean blockDeviceHotplug, boolean cpuHotplug, boolean memoryHotplug,
                                     boolean networkHotplug, boolean pause, boolean save, boolean isolation,
                                     Set<String> sharedFS) {
    public HypervisorCapabilities {
        sharedFS = sharedFS == null ? Set.of() : Set.copyOf(sharedFS);
    }
}
