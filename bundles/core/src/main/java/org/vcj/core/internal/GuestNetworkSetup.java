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

    /** A VM from a factory was started before the sandbox's namespace was known: refuse the combination. */
    static void requireDirectVm(SandboxConfig cfg, String factory) {
        if (!cfg.networkConfig().netNSPath().isEmpty() && !VMFactory.DIRECT.equals(factory)) {
            throw new InvalidConfigException("NetworkConfig.NetNSPath", cfg.networkConfig().netNSPath(), "sandbox " + cfg.id()
                    + " asks for a network namespace, which a VM from factory '" + factory + "' was not started in; create it without a factory");
        }
    }

    static void apply(GuestNetwork network, Agent agent) {
        for (Interface inf : network.interfaces()) agent.updateInterface(inf);
        if (!network.routes().isEmpty()) agent.updateRoutes(network.routes());
    }
}
