package org.vcj.core.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;

import org.vcj.api.ContainerConfig;
import org.vcj.api.Device;
import org.vcj.api.DeviceInfo;
import org.vcj.api.InvalidConfigException;
import org.vcj.api.LinuxResources;
import org.vcj.api.NotSupportedException;
import org.vcj.api.hypervisor.Hypervisor;
import org.vcj.api.hypervisor.HypervisorCapabilities;
import org.vcj.api.hypervisor.VM;
import org.vcj.core.internal.SandboxRecord.ContainerRecord;

/**
 * What the core hot-plugs into a sandbox's VM, as Kata does: a container's block devices (a host file or block
 * device in {@code ContainerConfig.DeviceInfos}) are plugged when the container is created in the VM and unplugged
 * when it is deleted; vCPUs and memory are added when a container update asks for more than the VM has. The
 * hypervisor's {@link HypervisorCapabilities} decide: what it lacks is refused with a {@link NotSupportedException}
 * naming it (on a hypervisor without block hotplug, such as the mock, devices stay the host's own nodes).
 * Every plug is saved in the container record (the device's id, {@link DeviceInfo#hotplugged()}) before it is made,
 * so a later process removes it. Callers hold the sandbox lock.
 */
final class VmHotplug {

    private static final long MIB = 1024 * 1024;

    private final Engine engine;

    VmHotplug(Engine engine) {
        this.engine = engine;
    }

    /** Throws NotSupportedException naming the sandbox's hypervisor when it lacks the capability. */
    void require(SandboxRecord r, String operation, Predicate<HypervisorCapabilities> capability, String what) {
        Hypervisor hv = engine.hypervisor(r);
        if (!capability.test(hv.capabilities())) {
            String type = r.vm() != null ? r.vm().hypervisorType() : r.config().hypervisorType().name();
            throw new NotSupportedException(operation, "hypervisor " + type, "it cannot hot-plug " + what
                    + " (see its capabilities); use a hypervisor that can, e.g. qemu");
        }
    }

    /**
     * Checks a new container's block devices before anything is saved: on a VM each must be an existing file or disk;
     * without block hotplug a regular file cannot be a disk (NotSupportedException).
     */
    void validate(SandboxRecord r, ContainerConfig cc) {
        boolean hotplug = engine.hypervisor(r).capabilities().blockDeviceHotplug();
        for (DeviceInfo d : cc.deviceInfos()) {
            if (!d.devType().equals("b")) continue;
            Path p = Path.of(d.hostPath());
            if (!hotplug) {
                if (Files.isRegularFile(p)) {
                    require(r, "addDevice", HypervisorCapabilities::blockDeviceHotplug, "a host file as a disk ("
                            + d.hostPath() + " for container " + cc.id() + "; without a VM only host device nodes can be given)");
                }
                continue;
            }
            if (!Files.isRegularFile(p) && !isBlockDevice(p)) {
                throw new InvalidConfigException("DeviceInfo.HostPath", d.hostPath(), "container " + cc.id()
                        + ": a block device for a VM sandbox is an existing regular file or block device on the host");
            }
        }
    }

    /**
     * Plugs the container's block devices into the VM: gives each an id, saves that, then plugs. Returns the record
     * (with the ids). A no-op without a VM or without the block hotplug capability.
     */
    SandboxRecord plugDisks(SandboxRecord r, String cid) {
        Hypervisor hv = engine.hypervisor(r);
        if (r.vm() == null || !hv.capabilities().blockDeviceHotplug()) return r;
        ContainerRecord c = r.requireContainer(cid);
        List<DeviceInfo> infos = new ArrayList<>();
        boolean any = false;
        for (DeviceInfo d : c.config().deviceInfos()) {
            if (d.devType().equals("b")) {
                d = d.withHotplug(d.id().isEmpty() ? deviceId(cid, d.containerPath()) : d.id(), true);
                any = true;
            }
            infos.add(d);
        }
        if (!any) return r;
        r = engine.records.save(r.withContainer(c.withConfig(c.config().toBuilder().deviceInfos(infos).build())));
        List<DeviceInfo> plugged = new ArrayList<>();
        try {
            for (DeviceInfo d : infos) {
                if (!d.hotplugged()) continue;
                hv.addDevice(r.vm(), d);
                plugged.add(d);
            }
        } catch (RuntimeException e) {
            for (DeviceInfo d : plugged) unplugQuietly(hv, r.vm(), d, e);
            throw e;
        }
        return r;
    }

    /** Unplugs the container's hot-plugged devices from the running VM (after the agent removed the container). */
    void unplugDisks(SandboxRecord r, ContainerRecord c) {
        if (r.vm() == null) return;
        Hypervisor hv = engine.hypervisor(r);
        for (DeviceInfo d : c.config().deviceInfos()) {
            if (d.hotplugged()) hv.removeDevice(r.vm(), new Device(d.id(), d.devType(), d, ""));
        }
    }

    /**
     * Grows the VM when {@code resources} ask for more CPUs (quota / period, rounded up) or memory (the limit, in MiB
     * rounded up) than it has, and has the agent bring the new CPUs and memory online. Saves the grown VM.
     */
    SandboxRecord growFor(SandboxRecord r, LinuxResources resources) {
        if (r.vm() == null || resources == null) return r;
        int cpus = resources.cpuQuota() != null && resources.cpuQuota() > 0 && resources.cpuPeriod() != null
                ? (int) ((resources.cpuQuota() + resources.cpuPeriod() - 1) / resources.cpuPeriod()) : 0;
        int mib = resources.memoryLimit() != null ? (int) ((resources.memoryLimit() + MIB - 1) / MIB) : 0;
        Hypervisor hv = engine.hypervisor(r);
        VM vm = r.vm();
        if (cpus <= vm.vcpus() && mib <= vm.memoryMiB()) return r;
        // The agent must be reachable (the VM running, not paused) before anything is plugged: it onlines what is.
        org.vcj.api.agent.Agent agent = engine.agents.of(r);
        if (cpus > vm.vcpus()) {
            require(r, "resizeVCPUs", HypervisorCapabilities::cpuHotplug, "vCPUs (the VM has " + vm.vcpus() + ", "
                    + cpus + " asked)");
            vm = hv.resizeVCPUs(vm, cpus);
            r = engine.records.save(r.withVm(vm));
            agent.onlineCpuMem(vm.vcpus(), true);
        }
        if (mib > vm.memoryMiB()) {
            require(r, "resizeMemory", HypervisorCapabilities::memoryHotplug, "memory (the VM has " + vm.memoryMiB()
                    + " MiB, " + mib + " MiB asked)");
            vm = hv.resizeMemory(vm, mib);
            r = engine.records.save(r.withVm(vm));
            agent.onlineCpuMem(0, false);
        }
        return r;
    }

    /** A stable id of at most 20 characters (a virtio-blk serial), unique per container and path. */
    static String deviceId(String cid, String containerPath) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((cid + "\0" + containerPath).getBytes(StandardCharsets.UTF_8));
            return "vd" + HexFormat.of().formatHex(h, 0, 7);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void unplugQuietly(Hypervisor hv, VM vm, DeviceInfo d, RuntimeException cause) {
        try {
            hv.removeDevice(vm, new Device(d.id(), d.devType(), d, ""));
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private static boolean isBlockDevice(Path p) {
        try {
            return Files.getAttribute(p, "unix:mode") instanceof Integer m && (m & 0170000) == 0060000;
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }
}
