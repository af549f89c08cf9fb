package org.vcj.api.hypervisor;

import java.util.Map;

/**
 * A running VM as the core knows it, and everything a fresh process needs to reattach to it:
 * the core saves this record with the sandbox and hands it back to the same {@link Hypervisor}
 * type on every later call. Plugins keep no state of their own that is not in {@link #state()}.
 *
 * @param id             VM id (the sandbox id for a direct VM; the factory's id otherwise)
 * @param hypervisorType the {@code vcj.hypervisor} type that runs it
 * @param vcpus          current vCPUs
 * @param memoryMiB      current memory in MiB
 * @param runDir         host directory of the VM's sockets, logs and state
 * @param hostSharedDir  host directory shared with the guest; container rootfs and bind mounts go below it
 * @param guestSharedDir where {@code hostSharedDir} appears in the guest
 * @param agentAddress   where to dial the agent, e.g. {@code unix:///run/vcj/sbx/agent.sock} or {@code vsock://3:1024}
 * @param state          plugin-private values (pids, socket paths ...), strings only
 */
public record VM(String id, String hypervisorType, int vcpus, int memoryMiB, String runDir, String hostSharedDir,
                 String guestSharedDir, String agentAddress, Map<String, String> state) {
    public VM {
        state = state == null ? Map.of() : Map.copyOf(state);
    }

    public VM withResources(int newVcpus, int newMemoryMiB) {
        return new VM(id, hypervisorType, newVcpus, newMemoryMiB, runDir, hostSharedDir, guestSharedDir, agentAddress, state);
    }

    public VM withState(Map<String, String> newState) {
        return new VM(id, hypervisorType, vcpus, memoryMiB, runDir, hostSharedDir, guestSharedDir, agentAddress, newState);
    }
}
