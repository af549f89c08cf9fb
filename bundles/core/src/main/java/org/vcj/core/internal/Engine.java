package org.vcj.core.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

import org.vcj.api.HypervisorConfig;
import org.vcj.api.SandboxConfig;
import org.vcj.api.factory.VMFactory;
import org.vcj.api.factory.VMRequest;
import org.vcj.api.hypervisor.VMConfig;
import org.vcj.api.hypervisor.Hypervisor;
import org.vcj.api.storage.MetadataLock;
import org.vcj.api.storage.MetadataStorage;

/**
 * The parts every sandbox operation needs: plugins, the record store, agent connections, rootfs sharing.
 * Mutating operations run under the sandbox's metadata lock ({@link #locked}).
 */
final class Engine {

    /** How long a lookup waits for a plugin that has not registered (yet). */
    final Duration pluginGrace;

    final PluginRegistry<Hypervisor> hypervisors = new PluginRegistry<>("hypervisor");
    final PluginRegistry<MetadataStorage> storages = new PluginRegistry<>("metadata storage");
    final PluginRegistry<VMFactory> factories = new PluginRegistry<>("VM factory");
    final AgentSessions agents = new AgentSessions(r -> hypervisor(r).check(r.vm()));
    final SandboxPaths paths;
    final RootfsSharer sharer;
    final RecordStore records;

    Engine(Path root, String storageType, Duration pluginGrace) {
        this.pluginGrace = pluginGrace;
        this.paths = new SandboxPaths(root);
        this.sharer = new RootfsSharer(paths);
        this.records = new RecordStore(() -> storages.require(storageType, pluginGrace));
        factories.add(VMFactory.DIRECT, new DirectVMFactory());
    }

    /**
     * What a VM factory is asked for to make the VM of a sandbox configured as {@code cfg}: its hypervisor, the
     * hypervisor configuration with the sandbox's VM resources (SandboxConfig.VMConfig) where they are set, its volumes.
     */
    VMRequest vmRequest(SandboxConfig cfg, String vmId, Path runDir) {
        HypervisorConfig.Builder b = cfg.hypervisorConfig().toBuilder();
        if (cfg.vmConfig().vcpus() > 0) b.numVCPUs(cfg.vmConfig().vcpus());
        if (cfg.vmConfig().memory() > 0) b.memorySize(cfg.vmConfig().memory());
        String type = cfg.hypervisorType().name();
        return new VMRequest(hypervisors.require(type, pluginGrace), type,
                new VMConfig(vmId, b.build(), runDir.toString(), cfg.volumes(), null, cfg.networkConfig()), paths.root(), SandboxLifecycle.VM_START_TIMEOUT);
    }

    /**
     * The hypervisor that drives the sandbox's VM: the one named by the VM itself ({@code VM.hypervisorType()}, also
     * for a VM a factory made), or, before there is a VM, the one the sandbox's configuration names.
     */
    Hypervisor hypervisor(SandboxRecord r) {
        String type = r.vm() != null ? r.vm().hypervisorType() : r.config().hypervisorType().name();
        return hypervisors.require(type, pluginGrace);
    }

    /** Whether the hypervisor still sees the sandbox's VM (a runtime crash or a kill may have ended it). */
    boolean vmAlive(SandboxRecord r) {
        try {
            hypervisor(r).check(r.vm());
            return true;
        } catch (org.vcj.api.VcException e) {
            return false;
        }
    }

    /** Runs {@code op} holding the sandbox's lock (across threads and processes). */
    <T> T locked(String sandboxId, Function<String, T> op) {
        try (MetadataLock ignored = records.lock(sandboxId)) {
            return op.apply(sandboxId);
        }
    }
}
