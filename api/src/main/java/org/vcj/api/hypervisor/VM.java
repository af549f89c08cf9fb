package org.vcj.api.hypervisor;

import java.util.Map;

/**
 * A running VM as the core knows it, and everything a fresh process needs to reattach to it:
 * the core saves this record with the sandbox and hands it back to the same {@link Hypervisor}
 * type on every later call. Plugins keep no state of their own that is not in {@link #state()}.
 * A hypervisor whose {@link Hypervisor#relocatable()} is true keeps every path of a VM in {@link #runDir()} and
 * opens them by name only at start, so that a VM factory can move a running VM's directory into a sandbox's
 * ({@link #relocated}).
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

    /**
     * The record of this VM after its run directory was moved to {@code newRunDir} (sockets and files in it keep
     * working): every field and state value that names a path in the old directory names the new one.
     */
    public VM relocated(String newRunDir) {
        java.util.function.UnaryOperator<String> move = s -> s == null ? null
                : s.equals(runDir) || s.startsWith(runDir + "/") ? newRunDir + s.substring(runDir.length())
                : s.startsWith("unix://" + runDir + "/") ? "unix://" + newRunDir + s.substring(7 + runDir.length()) : s;
        Map<String, String> moved = new java.util.LinkedHashMap<>();
        state.forEach((k, v) -> moved.put(k, move.apply(v)));
        return new VM(id, hypervisorType, vcpus, memoryMiB, newRunDir, move.apply(hostSharedDir), move.apply(guestSharedDir),
                move.apply(agentAddress), moved);
    }

    public VM withState(Map<String, String> newState) {
        return new VM(id, hypervisorType, vcpus, memoryMiB, runDir, hostSharedDir, guestSharedDir, agentAddress, newState);
    }
}
