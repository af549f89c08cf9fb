package org.vcj.core.internal;

import java.util.function.Consumer;

import org.vcj.api.ContainerState;
import org.vcj.api.Device;
import org.vcj.api.DeviceInfo;
import org.vcj.api.Interface;
import org.vcj.api.LinuxResources;
import org.vcj.api.NotSupportedException;
import org.vcj.api.SandboxState;
import org.vcj.api.hypervisor.HypervisorCapabilities;
import org.vcj.api.hypervisor.NicAttachment;
import org.vcj.core.internal.SandboxRecord.ContainerRecord;

/**
 * What a running sandbox is given or changed at run time: devices and network interfaces plugged into its VM, a
 * container's resources (growing the VM first when they ask for more than it has). Each method works on the
 * record its caller loaded, under the sandbox lock where it changes it, and saves every change before returning.
 */
final class SandboxDevices {

    private final Engine engine;

    SandboxDevices(Engine engine) {
        this.engine = engine;
    }

    /** New resources for a running or paused container: the VM grown to fit them, the agent told, the record saved. */
    SandboxRecord updateContainer(SandboxRecord r, String containerId, LinuxResources resources) {
        ContainerRecord c = StateGate.requireContainer(r, containerId, "update", ContainerState.RUNNING, ContainerState.PAUSED);
        r = new VmHotplug(engine).growFor(r, resources);
        engine.agents.of(r).updateContainer(containerId, resources);
        return engine.records.save(r.withContainer(c.withConfig(c.config().toBuilder().resources(resources).build())));
    }

    /** Plugs a block device into the VM of a ready or running sandbox; one without an id is named after its path. */
    Device addDevice(SandboxRecord r, DeviceInfo info) {
        StateGate.requireSandbox(r, "add device", SandboxState.READY, SandboxState.RUNNING);
        new VmHotplug(engine).require(r, "addDevice", HypervisorCapabilities::blockDeviceHotplug, "block devices");
        DeviceInfo named = info.id().isEmpty()
                ? info.withHotplug(VmHotplug.deviceId("sandbox/" + r.id(), info.containerPath()), true) : info;
        return engine.hypervisor(r).addDevice(r.vm(), named);
    }

    /** Plugs a NIC into the VM, saves the VM that has it, then names it in the guest; {@code guest} gets the guest's view. */
    SandboxRecord addInterface(SandboxRecord r, Interface inf, Consumer<Interface> guest) {
        requireIsolation(r, "addInterface");
        StateGate.requireSandbox(r, "add interface", SandboxState.READY, SandboxState.RUNNING);
        NicAttachment a = engine.hypervisor(r).addInterface(r.vm(), inf);
        r = engine.records.save(r.withVm(a.vm()));
        guest.accept(engine.agents.of(r).updateInterface(a.guestInterface()));
        return r;
    }

    /** Unplugs a NIC from the VM and saves the VM without it. */
    SandboxRecord removeInterface(SandboxRecord r, Interface inf) {
        requireIsolation(r, "removeInterface");
        StateGate.requireSandbox(r, "remove interface", SandboxState.READY, SandboxState.RUNNING);
        return engine.records.save(r.withVm(engine.hypervisor(r).removeInterface(r.vm(), inf)));
    }

    /** Network changes made by an agent without a VM would change the host itself: refuses them. */
    void requireIsolation(SandboxRecord r, String operation) {
        if (!engine.hypervisor(r).capabilities().isolation()) {
            throw new NotSupportedException(operation, "hypervisor " + r.config().hypervisorType().name(),
                    "without a VM the agent shares the host's network; use a hypervisor with isolation, e.g. qemu");
        }
    }
}
