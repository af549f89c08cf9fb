package org.vcj.hypervisor.qemu.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.vcj.api.HypervisorConfig;
import org.vcj.api.Param;
import org.vcj.api.hypervisor.VMTemplate;

/**
 * The QEMU command line of a sandbox VM: q35, TCG or KVM, vCPU and memory headroom for hotplug, PCIe root ports,
 * virtio-rng, the serial console to a log file, the kernel booted directly (PVH), the shared directory over
 * virtio-9p and the agent channel over virtio-serial, QMP on a Unix socket; daemonized so it outlives the JVM.
 *
 * @param vmId    the VM id (its QEMU's name)
 * @param qemu    the qemu-system-x86_64 binary
 * @param kernel  the guest kernel (uncompressed vmlinux)
 * @param initrd  the guest initramfs
 * @param accel   kvm or tcg
 * @param vcpus   vCPUs at boot
 * @param memory  MiB at boot
 * @param runDir  the VM's run directory
 * @param config  the sandbox's hypervisor configuration (kernel and hypervisor params)
 * @param template null for a plain boot; else guest RAM in the template's memory file — shared when booting the
 *                 template (so that saving it leaves RAM in the file), private copy-on-write for a clone, which
 *                 then waits for its device state ({@code -incoming defer})
 */
record QemuCommandLine(String vmId, String qemu, Path kernel, Path initrd, String accel, int vcpus, int memory, Path runDir,
                       HypervisorConfig config, VMTemplate template) {

    static final String SHARE_TAG = "vcjshare";
    static final String AGENT_PORT = "agent.channel.0";
    static final int ROOT_PORTS = 4;

    List<String> args() {
        List<String> a = new ArrayList<>(List.of(qemu,
                "-name", "vcj-" + vmId,
                "-machine", "q35,accel=" + accel + (template == null ? "" : ",memory-backend=mem0"),
                "-cpu", accel.equals("kvm") ? "host" : "max",
                "-smp", vcpus + ",maxcpus=" + Math.max(vcpus, 8),
                "-m", memory + "M,slots=4,maxmem=" + Math.max(memory * 4, 4096) + "M",
                "-nodefaults", "-no-user-config", "-nographic", "-no-reboot",
                "-daemonize", "-pidfile", runDir.resolve("qemu.pid").toString(),
                "-serial", "file:" + runDir.resolve("console.log"),
                "-kernel", kernel.toString(), "-initrd", initrd.toString(),
                "-append", kernelParams(),
                "-device", "virtio-rng-pci",
                "-device", "vmgenid,guid=auto",
                "-fsdev", "local,id=fs0,path=" + runDir.resolve("shared") + ",security_model=none",
                "-device", "virtio-9p-pci,fsdev=fs0,mount_tag=" + SHARE_TAG,
                "-device", "virtio-serial-pci,id=serial0",
                "-chardev", "socket,id=agent,path=" + runDir.resolve("agent.sock") + ",server=on,wait=off",
                "-device", "virtserialport,chardev=agent,name=" + AGENT_PORT,
                "-qmp", "unix:" + runDir.resolve("qmp.sock") + ",server=on,wait=off"));
        if (template != null) {
            a.addAll(List.of("-object", "memory-backend-file,id=mem0,size=" + memory + "M,mem-path=" + template.memoryPath()
                    + ",share=" + (template.bootToBeTemplate() ? "on" : "off")));
            if (!template.bootToBeTemplate()) a.addAll(List.of("-incoming", "defer"));
        }
        for (int i = 0; i < ROOT_PORTS; i++) {
            a.addAll(List.of("-device", "pcie-root-port,id=rp" + i + ",chassis=" + (i + 1) + ",slot=" + i));
        }
        for (Param p : config.hypervisorParams()) {
            a.add(p.key());
            if (p.value() != null && !p.value().isEmpty()) a.add(p.value());
        }
        return a;
    }

    private String kernelParams() {
        StringBuilder sb = new StringBuilder("console=ttyS0 panic=-1 quiet");
        for (Param p : config.kernelParams()) {
            sb.append(' ').append(p.key());
            if (p.value() != null && !p.value().isEmpty()) sb.append('=').append(p.value());
        }
        return sb.toString();
    }
}
