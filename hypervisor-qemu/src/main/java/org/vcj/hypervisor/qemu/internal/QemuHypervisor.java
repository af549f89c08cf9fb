package org.vcj.hypervisor.qemu.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.vcj.api.Device;
import org.vcj.api.DeviceInfo;
import org.vcj.api.HypervisorConfig;
import org.vcj.api.HypervisorException;
import org.vcj.api.Interface;
import org.vcj.api.hypervisor.GuestNetwork;
import org.vcj.api.hypervisor.Hypervisor;
import org.vcj.api.hypervisor.HypervisorCapabilities;
import org.vcj.api.hypervisor.NicAttachment;
import org.vcj.api.hypervisor.VM;
import org.vcj.api.hypervisor.VMConfig;
import org.vcj.support.process.HostProcess;

/**
 * The QEMU hypervisor: one QEMU per sandbox, the guest kernel booted directly, the agent reached over a virtio-serial
 * port whose host end is {@code <runDir>/agent.sock}, containers' files over virtio-9p. The VM record keeps QEMU's pid
 * and start time, so a fresh runtime finds and controls the same QEMU again. This facade holds the settings and hands
 * each operation to the class of its concept: {@link QemuVm} (lifecycle), {@link QemuBlockDevices},
 * {@link QemuCpuHotplug}, {@link QemuMemoryHotplug}, {@link QemuNicHotplug}, {@link QemuMigration}.
 * Configuration {@value #PID}, keys as in {@link QemuSettings} (the launcher gives it the {@code qemu.*},
 * {@code kernel} and {@code image} keys of {@code conf/org.vcj.cfg}); a bad value fails the activation. Thread-safe: it keeps no state of its own per VM.
 */
@Component(service = Hypervisor.class, configurationPid = QemuHypervisor.PID,
        property = Hypervisor.TYPE + "=" + QemuHypervisor.TYPE)
@Designate(ocd = QemuHypervisor.Config.class)
public final class QemuHypervisor implements Hypervisor {

    /** The value of the {@code vcj.hypervisor} service property, and {@link VM#hypervisorType()} of its VMs. */
    public static final String TYPE = "qemu";
    /** The plugin's configuration pid. */
    public static final String PID = "org.vcj.hypervisor.qemu";

    private final GuestFiles guest;
    private final QemuVm vms;
    private final QemuSettings settings;

    /** The plugin's settings; see {@link QemuSettings} for each key and its default. */
    @ObjectClassDefinition(name = "vcj QEMU hypervisor")
    public @interface Config {
        @AttributeDefinition(description = "qemu-system-x86_64 (absolute path); empty: the one on the PATH")
        String qemu_path() default "";
        @AttributeDefinition(description = "Guest kernel (absolute path); empty: <vcj.guest.dir>/vmlinux")
        String kernel() default "";
        @AttributeDefinition(description = "Guest image (absolute path); empty: <vcj.guest.dir>/guest.img")
        String image() default "";
        @AttributeDefinition(description = "vCPUs of a VM whose sandbox asks for none (1-240)")
        int qemu_vcpus() default 2;
        @AttributeDefinition(description = "MiB of a VM whose sandbox asks for none (at least 64)")
        int qemu_memory() default 1024;
        @AttributeDefinition(description = "MiB of TCG's translation cache (8-1024)")
        int qemu_tcg_cache() default 64;
        @AttributeDefinition(description = "auto (probe KVM once per host), kvm or tcg")
        String qemu_accelerator() default "auto";
        @AttributeDefinition(description = "QEMU's seccomp filter (-sandbox on with obsolete, elevateprivileges, spawn and resourcecontrol denied)")
        boolean qemu_seccomp() default true;
        @AttributeDefinition(description = "User QEMU runs as once its files are open (-runas); empty: root")
        String qemu_user() default "";
    }

    /** Activated by DS. @throws org.vcj.api.InvalidConfigException naming the key and value of a bad setting */
    @Activate
    public QemuHypervisor(BundleContext context, Map<String, Object> properties) {
        this(context::getProperty, properties);
    }

    /** @param frameworkProperties where {@code vcj.guest.dir} is found @param properties the configuration */
    QemuHypervisor(Function<String, String> frameworkProperties, Map<String, ?> properties) {
        this(frameworkProperties, QemuSettings.from(properties));
    }

    private QemuHypervisor(Function<String, String> frameworkProperties, QemuSettings settings) {
        this(GuestFiles.from(frameworkProperties, settings), settings);
    }

    QemuHypervisor(GuestFiles guest, QemuSettings settings) {
        this.guest = guest;
        this.vms = new QemuVm(guest, settings);
        this.settings = settings;
        QemuRunAs.requireKnown(settings.user());
        Qemu9pExports.requireHelper(settings.user());
    }

    @Override
    public HypervisorCapabilities capabilities() {
        return new HypervisorCapabilities(true, true, true, true, true, true, true, Set.of(HypervisorConfig.SHARED_FS_VIRTIO_9P));
    }

    @Override
    public VM startVM(VMConfig config, Duration timeout) {
        return vms.start(config, timeout);
    }

    @Override
    public void stopVM(VM vm, boolean force) {
        vms.stop(vm, force);
    }

    /** Read from the guest's console: /init and the agent print their milestones there. */
    @Override
    public String bootStage(VM vm) {
        return QemuConsole.bootStage(vm);
    }

    @Override public void pauseVM(VM vm) { QmpSession.execute(vm, "stop"); }
    @Override public void resumeVM(VM vm) { QmpSession.execute(vm, "cont"); }

    /**
     * Pauses the VM and writes its device state to {@code stateFile}. Guest RAM is not written: a VM booted to be a
     * template keeps it in its shared memory file, which clones map copy-on-write. The guest must not have the 9p
     * share mounted (QEMU refuses; the agent mounts it only when a sandbox is assigned).
     */
    @Override
    public void saveVM(VM vm, Path stateFile) {
        QmpSession.with(vm, "saveVM", qmp -> {
            new QemuMigration(vm.id(), qmp, QemuRunFiles.of(vm), settings.user()).save(stateFile, QmpSession.TIMEOUT);
            return null;
        });
    }

    /** QEMU opened its sockets, logs and 9p export at start: a moved run directory keeps working. */
    @Override
    public boolean relocatable() {
        return true;
    }

    /** The resolved emulator, kernel and initramfs (path, size, modification time) and the configuration. */
    @Override
    public String configDigest(VMConfig config) {
        HypervisorConfig hc = config.hypervisorConfig();
        StringBuilder sb = new StringBuilder(hc.toString());
        for (Path f : List.of(guest.kernel(hc), guest.initrd(), guest.image(hc))) {
            sb.append('|').append(f.toAbsolutePath());
            try {
                sb.append(':').append(Files.size(f)).append(':').append(Files.getLastModifiedTime(f).toMillis());
            } catch (IOException e) {
                sb.append(":missing");
            }
        }
        return sb.append('|').append(guest.qemu(hc)).toString();
    }

    /** Hot-plugs a virtio-blk disk (see {@link QemuBlockDevices}); {@code info.id()} names it and is its serial. */
    @Override
    public Device addDevice(VM vm, DeviceInfo info) {
        return QmpSession.with(vm, "addDevice", qmp -> blockDevices(vm, qmp).add(info));
    }

    @Override
    public void removeDevice(VM vm, Device device) {
        QmpSession.with(vm, "removeDevice", qmp -> {
            blockDevices(vm, qmp).remove(device.id());
            return null;
        });
    }

    private QemuBlockDevices blockDevices(VM vm, QmpClient qmp) {
        return new QemuBlockDevices(vm.id(), qmp, QemuVm.rootPorts(vm), new QemuHelpers(vm.id(), QemuRunFiles.of(vm)), settings.user());
    }

    @Override
    public VM resizeVCPUs(VM vm, int vcpus) {
        return QmpSession.with(vm, "resizeVCPUs", qmp -> vm.withResources(new QemuCpuHotplug(vm.id(), qmp).growTo(vcpus), vm.memoryMiB()));
    }

    @Override
    public VM resizeMemory(VM vm, int memoryMiB) {
        return QmpSession.with(vm, "resizeMemory", qmp -> vm.withResources(vm.vcpus(),
                new QemuMemoryHotplug(vm.id(), qmp).growTo(memoryMiB)));
    }

    @Override
    public List<Long> pids(VM vm) {
        HostProcess qemu = QemuProcess.of(vm);
        List<Long> pids = new ArrayList<>();
        if (qemu.alive()) pids.add(qemu.pid());
        return pids;
    }

    @Override
    public void check(VM vm) {
        if (!QemuProcess.of(vm).alive()) {
            throw new HypervisorException(vm.id(), "check", "QEMU (pid " + vm.state().get("pid") + ") is gone; console: "
                    + QemuConsole.tail(vm), null);
        }
    }

    /**
     * Kills a QEMU a crashed runtime started in {@code runDir} but never recorded (found by its pidfile; the process
     * must be a QEMU that wrote such a pidfile: a VM factory may have moved its directory since it started), and
     * removes its sockets and network.
     */
    @Override
    public void cleanup(Path runDir) {
        vms.cleanup(runDir);
    }

    @Override
    public GuestNetwork guestNetwork(VM vm) {
        return QemuNetwork.guest(vm);
    }

    @Override
    public NicAttachment addInterface(VM vm, Interface inf) {
        return QemuNicHotplug.add(vm, inf, QemuVm.rootPorts(vm), settings.user());
    }

    @Override
    public VM removeInterface(VM vm, Interface inf) {
        return QemuNicHotplug.remove(vm, inf);
    }
}
