package org.vcj.api;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A sandbox configuration (Kata {@code SandboxConfig}). Build with {@link #builder(String)}.
 *
 * @param id               sandbox id (see {@link Identifiers})
 * @param hostname         guest hostname (the id when empty)
 * @param hooks            OCI hooks run on the host
 * @param vmConfig         VM resources; overrides {@link HypervisorConfig#numVCPUs()}/{@link HypervisorConfig#memorySize()}
 * @param hypervisorType   which hypervisor plugin runs the VM
 * @param hypervisorConfig its configuration
 * @param agentType        the guest agent
 * @param agentConfig      agent settings (string pairs)
 * @param proxyType        the proxy type
 * @param proxyConfig      the proxy settings
 * @param shimType         the shim type
 * @param shimConfig       shim settings (string pairs)
 * @param networkConfig    network namespace and model
 * @param volumes          volumes shared between host and VM
 * @param containers       the containers created with the sandbox (may be empty)
 * @param annotations      reverse-domain namespaced keys
 */
public record SandboxConfig(String id, String hostname, Hooks hooks, Resources vmConfig, HypervisorType hypervisorType,
                            HypervisorConfig hypervisorConfig, AgentType agentType, Map<String, String> agentConfig,
                            ProxyType proxyType, ProxyConfig proxyConfig, ShimType shimType, Map<String, String> shimConfig,
                            NetworkConfig networkConfig, List<Volume> volumes, List<ContainerConfig> containers,
                            Map<String, String> annotations) {
    public SandboxConfig {
        Identifiers.requireValid("SandboxConfig.ID", id);
        hostname = hostname == null || hostname.isEmpty() ? (id.length() <= 63 ? id : id.substring(0, 63)) : hostname;
        if (!hostname.matches("[A-Za-z0-9]([A-Za-z0-9.-]{0,62})")) {
            throw new InvalidConfigException("SandboxConfig.Hostname", hostname, "a hostname is 1-63 characters of [A-Za-z0-9.-]");
        }
        hooks = hooks == null ? Hooks.NONE : hooks;
        vmConfig = vmConfig == null ? Resources.DEFAULT : vmConfig;
        if (hypervisorType == null) throw new InvalidConfigException("SandboxConfig.HypervisorType", null, "choose a hypervisor, e.g. qemu or mock");
        hypervisorConfig = hypervisorConfig == null ? HypervisorConfig.DEFAULT : hypervisorConfig;
        agentType = agentType == null ? AgentType.KATA : agentType;
        agentConfig = agentConfig == null ? Map.of() : Map.copyOf(agentConfig);
        proxyType = proxyType == null ? ProxyType.NO_PROXY : proxyType;
        proxyConfig = proxyConfig == null ? ProxyConfig.NONE : proxyConfig;
        shimType = shimType == null ? ShimType.NOOP_SHIM : shimType;
        shimConfig = shimConfig == null ? Map.of() : Map.copyOf(shimConfig);
        networkConfig = networkConfig == null ? NetworkConfig.NONE : networkConfig;
        volumes = volumes == null ? List.of() : List.copyOf(volumes);
        containers = containers == null ? List.of() : List.copyOf(containers);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        Set<String> seen = new HashSet<>();
        for (ContainerConfig c : containers) {
            if (!seen.add(c.id())) throw new InvalidConfigException("SandboxConfig.Containers", c.id(), "two containers have the same id");
        }
        if (!agentType.equals(AgentType.KATA)) {
            throw new InvalidConfigException("SandboxConfig.AgentType", agentType.name(), "vcj drives the kata gRPC agent only; use 'kata'");
        }
    }

    /** The same config with another container list. */
    public SandboxConfig withContainers(List<ContainerConfig> newContainers) {
        return toBuilder().containers(newContainers).build();
    }

    /** The same config with other annotations. */
    public SandboxConfig withAnnotations(Map<String, String> newAnnotations) {
        return toBuilder().annotations(newAnnotations).build();
    }

    public static Builder builder(String id) { return new Builder().id(id); }

    public Builder toBuilder() {
        return new Builder().id(id).hostname(hostname).hooks(hooks).vmConfig(vmConfig).hypervisorType(hypervisorType)
                .hypervisorConfig(hypervisorConfig).agentType(agentType).agentConfig(agentConfig).proxyType(proxyType)
                .proxyConfig(proxyConfig).shimType(shimType).shimConfig(shimConfig).networkConfig(networkConfig)
                .volumes(volumes).containers(containers).annotations(annotations);
    }

    /** Builder for {@link SandboxConfig}; not thread-safe. */
    public static final class Builder {
        private String id, hostname;
        private Hooks hooks;
        private Resources vmConfig;
        private HypervisorType hypervisorType = HypervisorType.QEMU;
        private HypervisorConfig hypervisorConfig;
        private AgentType agentType;
        private Map<String, String> agentConfig, shimConfig, annotations;
        private ProxyType proxyType;
        private ProxyConfig proxyConfig;
        private ShimType shimType;
        private NetworkConfig networkConfig;
        private List<Volume> volumes;
        private List<ContainerConfig> containers;

        private Builder() { }

        public Builder id(String v) { id = v; return this; }
        public Builder hostname(String v) { hostname = v; return this; }
        public Builder hooks(Hooks v) { hooks = v; return this; }
        public Builder vmConfig(Resources v) { vmConfig = v; return this; }
        public Builder hypervisorType(HypervisorType v) { hypervisorType = v; return this; }
        public Builder hypervisorConfig(HypervisorConfig v) { hypervisorConfig = v; return this; }
        public Builder agentType(AgentType v) { agentType = v; return this; }
        public Builder agentConfig(Map<String, String> v) { agentConfig = v; return this; }
        public Builder proxyType(ProxyType v) { proxyType = v; return this; }
        public Builder proxyConfig(ProxyConfig v) { proxyConfig = v; return this; }
        public Builder shimType(ShimType v) { shimType = v; return this; }
        public Builder shimConfig(Map<String, String> v) { shimConfig = v; return this; }
        public Builder networkConfig(NetworkConfig v) { networkConfig = v; return this; }
        public Builder volumes(List<Volume> v) { volumes = v; return this; }
        public Builder containers(List<ContainerConfig> v) { containers = v; return this; }
        public Builder annotations(Map<String, String> v) { annotations = v; return this; }

        public SandboxConfig build() {
            return new SandboxConfig(id, hostname, hooks, vmConfig, hypervisorType, hypervisorConfig, agentType,
                    agentConfig, proxyType, proxyConfig, shimType, shimConfig, networkConfig, volumes, containers, annotations);
        }
    }
}
