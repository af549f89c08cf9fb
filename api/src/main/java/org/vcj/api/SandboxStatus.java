package org.vcj.api;

import java.util.List;
import java.util.Map;

/**
 * A sandbox's status (Kata {@code SandboxStatus}).
 *
 * @param hypervisorPids host pids of the VM's processes (QEMU, or the agent on mock)
 */
public record SandboxStatus(String id, SandboxState state, HypervisorType hypervisor, HypervisorConfig hypervisorConfig,
                            AgentType agent, List<ContainerStatus> containersStatus, Map<String, String> annotations,
                            List<Long> hypervisorPids) {
    public SandboxStatus {
        containersStatus = containersStatus == null ? List.of() : List.copyOf(containersStatus);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        hypervisorPids = hypervisorPids == null ? List.of() : List.copyOf(hypervisorPids);
    }
}
