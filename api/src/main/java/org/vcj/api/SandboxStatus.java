package org.vcj.api;

import java.util.List;
import java.util.Map;

/**
 * A sandbox's status (Kata {@code SandboxStatus}).
 *
 * @param hypervisorPids host pids of the VM's processes (QEMU, or the agent on mock)
 * @param vmPaused       whether the VM itself is paused (vCPUs stopped): true only in {@link SandboxState#PAUSED}
 *                       and only when the hypervisor can pause a VM ({@code HypervisorCapabilities.pause()}, e.g.
 *                       qemu); a paused sandbox on a hypervisor without that capability (mock) has only its
 *                       containers frozen, and this is false
 */
public record SandboxStatus(String id, SandboxState state, HypervisorType hypervisor, HypervisorConfig hypervisorConfig,
                            AgentType agent, List<ContainerStatus> containersStatus, Map<String, String> annotations,
                            List<Long> hypervisorPids, boolean vmPaused) {
    public SandboxStatus {
        containersStatus = containersStatus == null ? List.of() : List.copyOf(containersStatus);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        hypervisorPids = hypervisorPids == null ? List.of() : List.copyOf(hypervisorPids);
    }

    /** A status whose VM is not paused. */
    public SandboxStatus(String id, SandboxState state, HypervisorType hypervisor, HypervisorConfig hypervisorConfig,
                         AgentType agent, List<ContainerStatus> containersStatus, Map<String, String> annotations,
                         List<Long> hypervisorPids) {
        this(id, state, hypervisor, hypervisorConfig, agent, containersStatus, annotations, hypervisorPids, false);
    }
}
