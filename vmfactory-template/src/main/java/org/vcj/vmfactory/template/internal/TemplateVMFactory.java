package org.vcj.vmfactory.template.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vcj.api.NotSupportedException;
import org.vcj.api.agent.Agent;
import org.vcj.api.agent.AgentConnector;
import org.vcj.api.factory.FactoryStatus;
import org.vcj.api.factory.VMFactory;
import org.vcj.api.factory.VMRequest;
import org.vcj.api.hypervisor.Hypervisor;
import org.vcj.api.hypervisor.VM;
import org.vcj.api.hypervisor.VMConfig;
import org.vcj.api.hypervisor.VMTemplate;
import org.vcj.support.factory.AgentWarmUp;
import org.vcj.support.fs.FileTrees;

/**
 * The template VM factory ({@code vcj.vmfactory=template}, Kata's CreateFromTemplate): the first request for a
 * configuration boots a VM whose RAM is a shared file, waits for its agent, saves its device state and stops it;
 * every sandbox VM is then a clone that maps that RAM copy-on-write and resumes where the template stopped, with
 * the kernel booted and the agent already serving. Needs a hypervisor whose capabilities include {@code save}.
 */
@Component(service = VMFactory.class, property = VMFactory.TYPE + "=" + TemplateStore.TYPE)
public final class TemplateVMFactory implements VMFactory {

    private final AgentConnector agents;

    @Activate
    public TemplateVMFactory(@Reference AgentConnector agents) {
        this.agents = agents;
    }

    @Override
    public VM newVM(VMRequest request) {
        Path template = ensure(request);
        VMConfig c = request.config();
        // the clone is started for this request: in the sandbox's network namespace, with a NIC for each of its
        // interfaces (hot-plugged once the saved state is loaded: the template was saved without them)
        VMConfig clone = new VMConfig(c.id(), c.hypervisorConfig(), c.runDir(), c.volumes(), new VMTemplate(false,
                template.resolve(TemplateStore.MEMORY).toString(), template.resolve(TemplateStore.STATE).toString()), c.network());
        return request.hypervisor().startVM(clone, request.timeout());
    }

    @Override
    public boolean startsVmForRequest() {
        return true;
    }

    @Override
    public List<FactoryStatus> init(VMRequest request) {
        ensure(request);
        return status(request.root());
    }

    @Override
    public List<FactoryStatus> status(Path root) {
        return store(root).status();
    }

    @Override
    public List<FactoryStatus> destroy(Path root) {
        return store(root).destroy();
    }

    private static TemplateStore store(Path root) {
        return new TemplateStore(VMFactory.dir(root, TemplateStore.TYPE));
    }

    private Path ensure(VMRequest request) {
        Hypervisor hv = request.hypervisor();
        if (!hv.capabilities().save()) {
            throw new NotSupportedException("VM templates", "hypervisor " + request.hypervisorType(),
                    "its VMs cannot be saved; use the direct factory, or a hypervisor such as qemu");
        }
        VMConfig c = request.config();
        String key = TemplateStore.key(request.hypervisorType(), hv.configDigest(c));
        TemplateStore store = store(request.root());
        if (store.ready(key)) return store.templateDir(key);
        Properties info = new Properties();
        info.setProperty("hypervisor", request.hypervisorType());
        info.setProperty("vcpus", orDefault(c.hypervisorConfig().numVCPUs()));
        info.setProperty("memory", orDefault(c.hypervisorConfig().memorySize()));
        info.setProperty("machine", c.hypervisorConfig().hypervisorMachineType().isEmpty() ? "default"
                : c.hypervisorConfig().hypervisorMachineType());
        return store.ensure(key, info, build -> boot(request, key, build));
    }

    /** The template VM's console log stays beside the template (for its boot messages); its run directory goes. */
    private static void keepConsoleLog(Path run, Path build) throws IOException {
        Path log = run.resolve("console.log");
        if (java.nio.file.Files.exists(log)) {
            java.nio.file.Files.move(log, build.resolve("console.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        FileTrees.delete(run);
    }

    private static String orDefault(int n) {
        return n > 0 ? Integer.toString(n) : "default";
    }

    /** Boots the template VM, waits until its agent answers, saves it, stops it. */
    private void boot(VMRequest request, String key, Path build) throws IOException {
        Progress.say("making the VM template " + key + " for " + request.hypervisorType()
                + " (once per configuration; later sandboxes start from it)...");
        long t0 = System.nanoTime();
        Path run = build.resolve("run");
        java.nio.file.Files.createDirectories(run);
        VMConfig c = request.config();
        VMConfig tc = new VMConfig("template-" + key, c.hypervisorConfig(), run.toString(), List.of(),
                new VMTemplate(true, build.resolve(TemplateStore.MEMORY).toString(), null));
        Hypervisor hv = request.hypervisor();
        VM vm = hv.startVM(tc, request.timeout());
        try {
            try (Agent agent = agents.connect(vm.id(), vm.agentAddress(), request.timeout())) {
                Progress.say("template VM booted, agent ready after " + (System.nanoTime() - t0) / 1_000_000 + " ms; warming it up");
                AgentWarmUp.run(agent, vm);
            }
            hv.saveVM(vm, build.resolve(TemplateStore.STATE));
        } finally {
            hv.stopVM(vm, true);
        }
        keepConsoleLog(run, build);
        Progress.say("VM template " + key + " ready after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }
}
