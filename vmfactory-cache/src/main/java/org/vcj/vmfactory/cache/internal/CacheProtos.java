package org.vcj.vmfactory.cache.internal;

import org.vcj.api.hypervisor.VM;
import org.vcj.vmfactory.cache.protocol.CachedVM;

/** VM records to and from their wire form. */
final class CacheProtos {

    private CacheProtos() { }

    static CachedVM toProto(VM vm) {
        return CachedVM.newBuilder().setId(vm.id()).setHypervisorType(vm.hypervisorType()).setVcpus(vm.vcpus())
                .setMemoryMib(vm.memoryMiB()).setRunDir(vm.runDir()).setHostSharedDir(vm.hostSharedDir())
                .setGuestSharedDir(vm.guestSharedDir()).setAgentAddress(vm.agentAddress()).putAllState(vm.state()).build();
    }

    static VM fromProto(CachedVM p) {
        return new VM(p.getId(), p.getHypervisorType(), p.getVcpus(), p.getMemoryMib(), p.getRunDir(), p.getHostSharedDir(),
                p.getGuestSharedDir(), p.getAgentAddress(), p.getStateMap());
    }
}
