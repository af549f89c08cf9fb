package org.vcj.api.hypervisor;

import java.util.Set;

/** What a hypervisor plugin can do; the core refuses operations a plugin lacks with a {@code NotSupportedException}. */
public record HypervisorCapabilities(boolean blockDeviceHotplug, boolean cpuHotplug, boolean memoryHotplug,
                                     boolean networkHotplug, boolean pause, boolean save, boolean isolation,
                                     Set<String> sharedFS) {
    public HypervisorCapabilities {
        sharedFS = sharedFS == null ? Set.of() : Set.copyOf(sharedFS);
    }
}
