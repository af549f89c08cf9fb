package org.vcj.api.hypervisor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;
import org.vcj.api.Device;
import org.vcj.api.DeviceInfo;

/**
 * The hypervisor plugin SPI. A bundle registers an implementation as an OSGi service with the
 * service property {@value #TYPE} set to its type name (e.g. {@code qemu}); a
 * {@code SandboxConfig} naming that type is then run by it, without a restart.
 *
 * <p>Implementations are stateless between calls: everything needed to act on a VM is in the
 * {@link VM} record, which the core persists, so any process can reattach. They must be thread-safe.
 * Every method throws {@code HypervisorException} when the hypervisor fails, and
 * {@code NotSupportedException} for an operation its {@link #capabilities()} do not include.
 * Called by the vcj core and by VM factories only.
 */
@ConsumerType
public interface Hypervisor {
    /** The service property naming the hypervisor type. */
    String TYPE = "vcj.hypervisor";

    HypervisorCapabilities capabilities();

    /**
     * Starts a VM and returns once its agent channel exists (the agent may still be starting). The returned VM's
     * {@link VM#hypervisorType()} must be this plugin's {@value #TYPE}: the core drives a VM through the plugin
     * the VM names (also one a VM factory made).
     */
    VM startVM(VMConfig config, Duration timeout);

    /**
     * Stops the VM and removes what it created in {@link VM#runDir()} except logs. Idempotent: a VM that
     * is already gone is not an error. With {@code force}, no graceful shutdown is attempted.
     */
    void stopVM(VM vm, boolean force);

    void pauseVM(VM vm);

    void resumeVM(VM vm);

    /** Saves the VM's device state to {@code stateFile} (for templating); the VM stays paused. */
    void saveVM(VM vm, Path stateFile);

    /**
     * Hot-adds a block device (a host file or block device) and returns it with its id and, when the hypervisor knows
     * it, its guest path. {@code info.id()}, given by the core and saved before this call, names the device: the
     * guest finds the disk by it and {@link #removeDevice} needs nothing else, also from another process.
     */
    Device addDevice(VM vm, DeviceInfo info);

    /** Unplugs a device {@link #addDevice} plugged (waiting, bounded, until the guest released it); one already gone is no error. */
    void removeDevice(VM vm, Device device);

    /** Changes the number of vCPUs (plugins may only grow it: then a smaller number is no change); returns the VM with its actual resources. */
    VM resizeVCPUs(VM vm, int vcpus);

    /** Changes the memory size in MiB (plugins may only grow it, and may round up); returns the VM with its actual resources. */
    VM resizeMemory(VM vm, int memoryMiB);

    /** Host pids of the processes that make up the VM. */
    List<Long> pids(VM vm);

    /** Returns normally when the VM is alive; throws {@code HypervisorException} saying why it is not. */
    void check(VM vm);

    /**
     * What the VM's boot is doing now, in a few words for a person watching a terminal (e.g. "kernel", "init",
     * "agent starting", "agent ready"); empty when the hypervisor cannot tell. Cheap: it is polled during the boot.
     */
    default String bootStage(VM vm) {
        return "";
    }

    /**
     * Stops whatever this hypervisor may have left running in a VM run directory for which no {@link VM} record
     * was saved (the runtime was killed between starting the VM and saving it). Called by delete and cleanup.
     * The default does nothing, for hypervisors that start nothing before startVM returns.
     *
     * @param runDir the run directory that was given in {@link VMConfig#runDir()}
     */
    default void cleanup(java.nio.file.Path runDir) {
    }

    /**
     * Whether a running VM's run directory may be moved to another path (a VM cache hands its pre-booted VMs over that
     * way; the record is then {@link VM#relocated}). False by default: a plugin whose processes use paths in the run
     * directory by name while they run (such as an agent running on the host) cannot allow it.
     */
    default boolean relocatable() {
        return false;
    }

    /**
     * A text that changes whenever a VM started from {@code config} would differ in what a saved VM depends on (the
     * resolved kernel, image and emulator files, vCPUs, memory, machine). VM factories key their templates on it.
     * The default is the hypervisor configuration itself; plugins that fill in defaults add the files they resolve.
     */
    default String configDigest(VMConfig config) {
        return config.hypervisorConfig().toString();
    }

    /**
     * What the guest of a VM this plugin started must be told about its network (interfaces and routes found in
     * {@link VMConfig#network()}'s namespace and connected to the VM by {@link #startVM}); the core hands it to the
     * agent once the agent is up. The default, for plugins that connect no network, is {@link GuestNetwork#NONE}.
     */
    default GuestNetwork guestNetwork(VM vm) {
        return GuestNetwork.NONE;
    }

    /**
     * Hot-plugs a NIC into the running VM for {@code inf}: {@link org.vcj.api.Interface#name()} names a host interface in
     * the VM's network namespace to connect (its traffic is redirected to and from the NIC), or, when no such host
     * interface exists, a tap of that name is made for it. The NIC gets {@code inf}'s MAC, else the host interface's.
     * Returns the VM record that remembers the NIC (the caller saves it before reporting success) and the guest interface
     * to configure. Throws {@code NotSupportedException} unless {@link HypervisorCapabilities#networkHotplug()};
     * {@code InvalidConfigException} for a name already plugged or no free hotplug slot.
     */
    default NicAttachment addInterface(VM vm, org.vcj.api.Interface inf) {
        throw new org.vcj.api.NotSupportedException("addInterface", "hypervisor " + vm.hypervisorType(), "this hypervisor cannot hot-plug NICs");
    }

    /**
     * Unplugs the NIC {@link #addInterface} plugged for an interface of {@code inf}'s name (or MAC), waits until the
     * guest released it, and removes the host side (tap, redirects). Returns the VM record without it. Throws
     * {@code NotFoundException} when no such NIC is plugged, {@code NotSupportedException} as for addInterface.
     */
    default VM removeInterface(VM vm, org.vcj.api.Interface inf) {
        throw new org.vcj.api.NotSupportedException("removeInterface", "hypervisor " + vm.hypervisorType(), "this hypervisor cannot hot-plug NICs");
    }
}
