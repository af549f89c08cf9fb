package org.vcj.hypervisor.qemu.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.vcj.api.HypervisorConfig;
import org.vcj.api.Param;
import org.vcj.api.hypervisor.VMTemplate;

/**
 * The QEMU command line of a sandbox VM: q35, TCG (with a bounded translation cache) or KVM, vCPU and memory headroom
 * for hotplug, PCIe root ports, virtio-rng, the serial console to a log file, the kernel booted directly (PVH) with a
 * small initramfs, the guest image (JRE and agent) as a read-only virtio-blk disk, the shared directory over
 * virtio-9p (its backend: {@link Qemu9pExports}), the agent channel over virtio-serial, a balloon that takes back the pages the guest frees (free page
 * reporting), QMP on a Unix socket, and (setting {@code qemu.seccomp}) QEMU's seccomp filter. Not daemonized by
 * QEMU ({@code -daemonize} calls setsid, which the filter denies): {@link QemuProcess} starts it in its own session.
 *
 * @param vmId    the VM id (its QEMU's name)
 * @param qemu    the qemu-system-x86_64 binary
 * @param kernel  the guest kernel (uncompressed vmlinux)
 * @param initrd  the guest initramfs
 * @param image   the guest image (read-only; /init mounts it at /opt)
 * @param accel   kvm or tcg
 * @param vcpus   vCPUs at boot
 * @param memory  MiB at boot
 * @param files   the VM's run directory
 * @param config  the sandbox's hypervisor configuration (kernel and hypervisor params)
 * @param settings the plugin's settings (TCG cache size, seccomp)
 * @param template null for a plain boot; else guest RAM in the template's memory file — shared when booting the
 *                 template (so that saving it leaves RAM in the file), private copy-on-write for a clone, which
 *                 then waits for its device state ({@code -incoming defer})
 */
record QemuCommandLine(String vmId, String qemu, Path kernel, Path initrd, Path image, String accel, int vcpus, int memory,
                       QemuRunFiles files, HypervisorConfig config, VMTemplate template, QemuSettings settings) {

    static final String SHARE_TAG = "vcjshare";
    /** The fsdev id of the shared directory's export. */
    static final String SHARE_FSDEV = "fs0";
    static final String AGENT_PORT = "agent.channel.0";
    static final int ROOT_PORTS = 4;
    /**
     * QEMU's seccomp filter with every optional group denied: obsolete system calls, set*id/setsid (no privilege
     * elevation), fork/exec (no helper a guest could make QEMU run), scheduler and affinity changes.
     */
    static final String SECCOMP = "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny";
    /**
     * The filter for a QEMU that drops to {@code qemu.user} ({@code -runas}): QEMU 7.2 installs the filter before it
     * calls setuid, which {@code elevateprivileges=deny} kills; once every uid is dropped it cannot regain root.
     */
    static final String SECCOMP_RUNAS = "on,obsolete=deny,elevateprivileges=allow,spawn=deny,resourcecontrol=deny";
    /**
     * Kernel parameters that skip work a sandbox VM does not need: TSC checks and the clocksource watchdog, the PS/2
     * controller probe, SMP alternatives patching, crypto self-tests; RCU grace periods expedited. Measured under TCG
     * on a bare boot of the same kernel: 13–18% less time to /init.
     */
    static final String FAST_BOOT = "tsc=reliable no_timer_check rcupdate.rcu_expedited=1 i8042.direct=1 i8042.dumbkbd=1"
            + " i8042.nopnp=1 i8042.noaux=1 noreplace-smp reboot=k cryptomgr.notests";

    List<String> args() {
        List<String> a = new ArrayList<>(List.of(qemu,
                "-name", "vcj-" + vmId,
                "-machine", "q35" + (template == null ? "" : ",memory-backend=mem0"),
                // TCG's default translation cache (1 GiB, in regions per vCPU thread) lets a guest fill hundreds of
                // MiB of host memory with translated code; a sandbox's kernel and agent run well within 64 MiB
                "-accel", accel.equals("tcg") ? "tcg,tb-size=" + settings.tcgCacheMiB() : accel,
                "-cpu", accel.equals("kvm") ? "host" : "max",
                "-smp", vcpus + ",maxcpus=" + Math.max(vcpus, 8),
                "-m", memory + "M,slots=4,maxmem=" + Math.max(memory * 4, 4096) + "M",
                "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
                "-pidfile", files.pidFile().toString(),
                "-serial", "file:" + files.console(),
                "-kernel", kernel.toString(), "-initrd", initrd.toString(),
                "-append", kernelParams(),
                "-drive", "file=" + image + ",if=none,id=guestimg,format=raw,readonly=on",
                "-device", "virtio-blk-pci,drive=guestimg,serial=vcj-guest",
                "-device", "virtio-balloon-pci,free-page-reporting=on",
                "-device", "virtio-rng-pci",
                "-device", "vmgenid,guid=auto",
                "-fsdev", Qemu9pExports.fsdev(SHARE_FSDEV, files.shared(), files, settings.user()),
                "-device", "virtio-9p-pci,fsdev=fs0,mount_tag=" + SHARE_TAG,
                "-device", "virtio-serial-pci,id=serial0",
                "-chardev", "socket,id=agent,path=" + files.agentSocket() + ",server=on,wait=off",
                "-device", "virtserialport,chardev=agent,name=" + AGENT_PORT,
                "-qmp", "unix:" + files.qmpSocket() + ",server=on,wait=off"));
        if (settings.seccomp()) a.addAll(List.of("-sandbox", settings.user().isEmpty() ? SECCOMP : SECCOMP_RUNAS));
        if (!settings.user().isEmpty()) a.addAll(List.of("-runas", settings.user()));
        if (template != null) {
            a.addAll(List.of("-object", "memory-backend-file,id=mem0,size=" + memory + "M,mem-path=" + template.memoryPath()
                    + ",share=" + (template.bootToBeTemplate() ? "on" : "off")));
            if (!template.bootToBeTemplate()) a.addAll(List.of("-incoming", "defer"));
        }
        for (int i = 0; i < rootPorts(); i++) {
            a.addAll(List.of("-device", "pcie-root-port,id=rp" + i + ",chassis=" + (i + 1) + ",slot=" + i));
        }
        for (Param p : config.hypervisorParams()) {
            a.add(p.key());
            if (p.value() != null && !p.value().isEmpty()) a.add(p.value());
        }
        return a;
    }

    /** PCIe root ports reserved for hotplug: {@code HypervisorConfig.DefaultBridges}, else {@value #ROOT_PORTS}. */
    int rootPorts() {
        return config.defaultBridges() > 0 ? config.defaultBridges() : ROOT_PORTS;
    }

    private String kernelParams() {
        StringBuilder sb = new StringBuilder("console=ttyS0 panic=-1 quiet ").append(FAST_BOOT);
        for (Param p : config.kernelParams()) {
            sb.append(' ').append(p.key());
            if (p.value() != null && !p.value().isEmpty()) sb.append('=').append(p.value());
        }
        return sb.toString();
    }
}
