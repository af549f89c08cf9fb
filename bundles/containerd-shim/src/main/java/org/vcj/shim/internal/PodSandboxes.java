package org.vcj.shim.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import org.vcj.api.ContainerConfig;
import org.vcj.api.HypervisorType;
import org.vcj.api.InvalidConfigException;
import org.vcj.api.NetworkConfig;
import org.vcj.api.Resources;
import org.vcj.api.SandboxConfig;
import org.vcj.api.VC;
import org.vcj.api.VCSandbox;

/**
 * The sandbox of a task that has one of its own (a plain {@code ctr run}, or a pod's sandbox container): made with
 * the task's settings, the spec's hostname as the guest's, and the spec's network namespace (the pod's, made by CNI)
 * as its {@code NetworkConfig.NetNSPath}, so the VM gets a NIC for each of its interfaces. vcj never deletes that
 * namespace: it did not make it. A spec without a namespace path (a host-network pod) gets, as with Kata, a network
 * namespace of the sandbox's own, without interfaces; a path naming the host's own namespace is refused, as Kata does
 * ("host networking requested"): a VM cannot share the host's network stack.
 */
final class PodSandboxes {
    /** Annotation on sandboxes made by the shim: the containerd namespace. */
    static final String NAMESPACE_ANNOTATION = "org.vcj.containerd.namespace";
    private static final String CREATED_ANNOTATION = "org.vcj.shell.created";
    /** The mock's agent runs on the host: a pod's namespace reaches its containers through their OCI spec instead. */
    private static final String MOCK = "mock";

    private final VC vc;

    PodSandboxes(VC vc) {
        this.vc = vc;
    }

    /** A running sandbox {@code id} for the task whose spec is {@code spec}, in containerd namespace {@code namespace}. */
    VCSandbox create(String id, String namespace, OciSpec spec, TaskSettings settings, ContainerConfig first) {
        String netns = spec.networkNamespace();
        if (isHostNamespace(netns)) {
            throw new InvalidConfigException("linux.namespaces[network].path", netns, "task " + id
                    + " asks for the host's network namespace: host networking is not supported by a VM sandbox;"
                    + " give the pod a network namespace of its own (no hostNetwork)");
        }
        SandboxConfig.Builder b = SandboxConfig.builder(id)
                .hypervisorType(new HypervisorType(settings.hypervisor()))
                .vmConfig(new Resources(settings.vcpus(), settings.memory()))
                .annotations(Map.of(CREATED_ANNOTATION, Instant.now().toString(), NAMESPACE_ANNOTATION, namespace));
        if (!spec.hostname().isEmpty()) b.hostname(spec.hostname());
        if (!netns.isEmpty() && !MOCK.equals(settings.hypervisor())) {
            b.networkConfig(new NetworkConfig(netns, NetworkConfig.NONE.interworkingModel()));
        }
        SandboxConfig config = b.build();
        VCSandbox s = settings.factory() == null ? vc.createSandbox(config) : vc.createSandbox(config, settings.factory());
        s.start();
        return s;
    }

    /** Whether {@code netns} is the network namespace this process (the host's) runs in. */
    static boolean isHostNamespace(String netns) {
        if (netns.isEmpty()) return false;
        try {
            return Files.isSameFile(Path.of(netns), Path.of("/proc/self/ns/net"));
        } catch (IOException e) {
            return false; // a namespace that cannot be read is the hypervisor's to refuse, with its path
        }
    }
}
