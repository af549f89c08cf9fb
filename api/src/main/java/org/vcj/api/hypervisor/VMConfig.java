package org.vcj.api.hypervisor;

import org.vcj.api.NetworkConfig;

import java.util.List;
import org.vcj.api.HypervisorConfig;
import org.vcj.api.Volume;

/**
 * What a {@link Hypervisor} needs to start a VM. The core has already merged the sandbox's
 * {@code VMConfig} resources into {@link #hypervisorConfig()} ({@code numVCPUs}, {@code memorySize}).
 *
 * @param id               VM id: a valid identifier, used in file names
 * @param hypervisorConfig the hypervisor configuration; empty paths mean the plugin's defaults
 * @param runDir           an existing, empty, private directory the plugin may use for this VM
 * @param volumes          extra host directories to share with the guest
 * @param template         templating request, or {@code null} for a plain boot
 * @param network          the network namespace the VM runs in and is connected to ({@link NetworkConfig#NONE}: a
 *                         hypervisor that isolates makes a namespace of its own for the VM); never null
 */
public record VMConfig(String id, HypervisorConfig hypervisorConfig, String runDir, List<org.vcj.api.Volume> volumes,
                       VMTemplate template, NetworkConfig network) {
    public VMConfig {
        volumes = volumes == null ? List.<Volume>of() : List.copyOf(volumes);
        network = network == null ? NetworkConfig.NONE : network;
    }

    /** A VM without a network namespace of the caller's ({@link NetworkConfig#NONE}). */
    public VMConfig(String id, HypervisorConfig hypervisorConfig, String runDir, List<org.vcj.api.Volume> volumes,
                    VMTemplate template) {
        this(id, hypervisorConfig, runDir, volumes, template, NetworkConfig.NONE);
    }
}
