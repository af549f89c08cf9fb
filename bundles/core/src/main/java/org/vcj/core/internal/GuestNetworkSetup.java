package org.vcj.core.internal;

import org.vcj.api.Interface;
import org.vcj.api.InvalidConfigException;
import org.vcj.api.SandboxConfig;
import org.vcj.api.agent.Agent;
import org.vcj.api.factory.VMFactory;
import org.vcj.api.hypervisor.GuestNetwork;

/**
 * The guest side of a sandbox's network at create time: the agent gives each NIC the hypervisor connected (found by
 * MAC) its host interface's name, addresses and MTU, then adds the gateway routes.
 */
final class GuestNetworkSetup {

    private GuestNetworkSetup() {
    }

    /** A VM a factory started before the sandbox's namespace was known (a cache's) cannot join it: refuse the combination. */
    static void requireVmStartedForRequest(SandboxConfig cfg, String factoryType, VMFactory factory) {
        if (!cfg.networkConfig().netNSPath().isEmpty() && !factory.startsVmForRequest()) {
            throw new InvalidConfigException("NetworkConfig.NetNSPath", cfg.networkConfig().netNSPath(), "sandbox " + cfg.id()
                    + " asks for a network namespace, which a VM from factory '" + factoryType + "' was not started in (its VMs"
                    + " are started ahead of the request); use the direct or the template factory");
        }
    }

    static void apply(GuestNetwork network, Agent agent) {
        for (Interface inf : network.interfaces()) agent.updateInterface(inf);
        if (!network.routes().isEmpty()) agent.updateRoutes(network.routes());
    }
}
