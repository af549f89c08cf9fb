package org.vcj.agent.internal;

import java.util.Map;
import java.util.Set;

/**
 * Which sysctls a container may set: only those its own namespaces scope, as runc allows (IPC: the System V IPC and
 * POSIX message queue limits; UTS: host and domain name; network: {@code net.*} when the container has a network
 * namespace that is not the host's). Any other would change the whole kernel of the guest (or, on the mock, of the
 * host) for every container. Stateless.
 */
final class OciSysctls {
    private static final Set<String> IPC = Set.of("kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
            "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced");
    private static final Set<String> UTS = Set.of("kernel.hostname", "kernel.domainname");

    private OciSysctls() {
    }

    /**
     * Refuses, with INVALID_ARGUMENT naming the sysctl and the container, any sysctl not scoped by the container's
     * namespaces.
     *
     * @param ownNetwork whether the container's network namespace is not the host's (in a VM: the VM's, the pod's)
     */
    static void check(Map<?, ?> sysctls, boolean ownNetwork, String cid) {
        for (Object k : sysctls.keySet()) {
            String name = String.valueOf(k);
            if (!(sysctls.get(k) instanceof String)) {
                throw AgentErrors.invalid("sysctl " + name + " of container " + cid + " has no string value: "
                        + "give linux.sysctl as {\"name\": \"value\"}");
            }
            String key = name.replace('/', '.');
            if (IPC.contains(key) || key.startsWith("fs.mqueue.") || UTS.contains(key)) {
                continue;
            }
            if (key.startsWith("net.")) {
                if (ownNetwork) {
                    continue;
                }
                throw AgentErrors.invalid("sysctl " + name + " of container " + cid + " is not allowed in the host's "
                        + "network namespace: give the container a network namespace (linux.namespaces) or drop it");
            }
            throw AgentErrors.invalid("sysctl " + name + " of container " + cid + " is not namespaced: it would change "
                    + "the kernel for every container of the sandbox (runc refuses it too); drop it from linux.sysctl");
        }
    }
}
