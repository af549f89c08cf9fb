package org.vcj.core.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.vcj.api.Cmd;
import org.vcj.api.ContainerConfig;
import org.vcj.api.ContainerStatus;
import org.vcj.api.EnteredProcess;
import org.vcj.api.Process;
import org.vcj.api.ProcessList;
import org.vcj.api.ProcessListOptions;
import org.vcj.api.SandboxConfig;
import org.vcj.api.SandboxStatus;
import org.vcj.api.VC;
import org.vcj.api.VCContainer;
import org.vcj.api.VCSandbox;
import org.vcj.api.agent.AgentConnector;
import org.vcj.api.factory.FactoryStatus;
import org.vcj.api.factory.VMFactory;
import org.vcj.api.hypervisor.Hypervisor;
import org.vcj.api.storage.MetadataStorage;

/**
 * The sandbox engine as the {@link VC} service: the ID-based functions of the 1.0 API. Hypervisors, metadata
 * storages and VM factories are found by their service property as they come and go. The state root and the
 * storage type come from the framework properties {@code vcj.root} and {@code vcj.storage}.
 */
@Component(service = VC.class)
public final class VcService implements VC {

    private final Engine engine;
    private final SandboxOps ops;
    private final FactoryOps factoryOps;

    @Activate
    public VcService(BundleContext context) {
        this(Path.of(property(context, MetadataStorage.ROOT, "/run/vcj")), property(context, MetadataStorage.TYPE, "fs"),
                Duration.ofSeconds(10));
    }

    VcService(Path root, String storageType, Duration pluginGrace) {
        this.engine = new Engine(root, storageType, pluginGrace);
        this.ops = new SandboxOps(engine);
        this.factoryOps = new FactoryOps(engine);
    }

    private static String property(BundleContext context, String key, String fallback) {
        String v = context.getProperty(key);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    @Deactivate
    void deactivate() {
        engine.agents.releaseAll();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addHypervisor(Hypervisor h, Map<String, Object> props) { engine.hypervisors.add(type(props, Hypervisor.TYPE), h); }
    void removeHypervisor(Hypervisor h, Map<String, Object> props) { engine.hypervisors.remove(type(props, Hypervisor.TYPE), h); }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addStorage(MetadataStorage s, Map<String, Object> props) { engine.storages.add(type(props, MetadataStorage.TYPE), s); }
    void removeStorage(MetadataStorage s, Map<String, Object> props) { engine.storages.remove(type(props, MetadataStorage.TYPE), s); }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addFactory(VMFactory f, Map<String, Object> props) { engine.factories.add(type(props, VMFactory.TYPE), f); }
    void removeFactory(VMFactory f, Map<String, Object> props) { engine.factories.remove(type(props, VMFactory.TYPE), f); }

    @Reference
    void setConnector(AgentConnector c) { engine.agents.connector(c); }

    private static String type(Map<String, Object> props, String key) {
        Object v = props.get(key);
        return v == null ? null : v.toString();
    }

    // Test seams: plug services in without a framework.
    Engine engine() { return engine; }

    @Override public VCSandbox createSandbox(SandboxConfig config) { return createSandbox(config, null); }
    @Override public VCSandbox createSandbox(SandboxConfig config, String vmFactory) { return ops.create(required(config), vmFactory, false); }
    @Override public VCSandbox runSandbox(SandboxConfig config) { return ops.create(required(config), null, true); }

    @Override
    public VCSandbox deleteSandbox(String sandboxId) {
        ops.delete(sandboxId);
        return ops.handle(sandboxId);
    }

    @Override public VCSandbox startSandbox(String sandboxId) { return apply(sandboxId, ops.sandboxes::start); }
    @Override public VCSandbox stopSandbox(String sandboxId, boolean force) { return apply(sandboxId, r -> ops.sandboxes.stop(r, force)); }
    @Override public VCSandbox pauseSandbox(String sandboxId) { return apply(sandboxId, ops.sandboxes::pause); }
    @Override public VCSandbox resumeSandbox(String sandboxId) { return apply(sandboxId, ops.sandboxes::resume); }
    @Override public List<SandboxStatus> listSandbox() { return ops.list(); }
    @Override public SandboxStatus statusSandbox(String sandboxId) { return ops.statusSandbox(sandboxId); }

    @Override
    public VCSandbox fetchSandbox(String sandboxId) {
        ops.load(sandboxId);
        return ops.handle(sandboxId);
    }

    @Override
    public VCContainer createContainer(String sandboxId, ContainerConfig config) {
        return fetchSandbox(sandboxId).createContainer(ops.validContainer(config));
    }

    @Override public VCContainer deleteContainer(String sandboxId, String containerId) { return fetchSandbox(sandboxId).deleteContainer(containerId); }
    @Override public VCContainer startContainer(String sandboxId, String containerId) { return fetchSandbox(sandboxId).startContainer(containerId); }
    @Override public VCContainer stopContainer(String sandboxId, String containerId) { return fetchSandbox(sandboxId).stopContainer(containerId, false); }

    @Override
    public EnteredProcess enterContainer(String sandboxId, String containerId, Cmd cmd) {
        Process p = ops.enter(sandboxId, containerId, cmd);
        VCSandbox s = ops.handle(sandboxId);
        return new EnteredProcess(s, s.getContainer(containerId).orElseThrow(), p);
    }

    @Override
    public ContainerStatus statusContainer(String sandboxId, String containerId) {
        return StatusView.container(ops.container(sandboxId, containerId));
    }

    @Override
    public void killContainer(String sandboxId, String containerId, int signal, boolean all) {
        ops.kill(sandboxId, containerId, signal, all);
    }

    @Override
    public ProcessList processListContainer(String sandboxId, String containerId, ProcessListOptions options) {
        return ops.ps(sandboxId, containerId, options);
    }

    @Override
    public List<String> cleanup() {
        List<String> removed = new java.util.ArrayList<>(ops.cleanup());
        removed.addAll(factoryOps.cleanup());
        return removed;
    }

    @Override public List<FactoryStatus> initFactory(String vmFactory, SandboxConfig config) { return factoryOps.init(vmFactory, required(config)); }
    @Override public List<FactoryStatus> factoryStatus(String vmFactory) { return factoryOps.status(vmFactory); }
    @Override public List<FactoryStatus> destroyFactory(String vmFactory) { return factoryOps.destroy(vmFactory); }

    @Override
    public void serveFactory(String vmFactory, String sourceFactory, int size, SandboxConfig config) {
        factoryOps.serve(vmFactory, sourceFactory, size, required(config));
    }

    private VCSandbox apply(String sandboxId, java.util.function.UnaryOperator<SandboxRecord> op) {
        ops.change(sandboxId, op);
        return ops.handle(sandboxId);
    }

    private static SandboxConfig required(SandboxConfig config) {
        if (config == null) throw new org.vcj.api.InvalidConfigException("SandboxConfig", null, "a sandbox configuration is required");
        return config;
    }
}
