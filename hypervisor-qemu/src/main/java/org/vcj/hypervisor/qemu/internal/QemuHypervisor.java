package org.vcj.hypervisor.qemu.internal;

import org.vcj.support.fs.UnixSocketPaths;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.vcj.api.Device;
import org.vcj.api.DeviceInfo;
import org.vcj.api.HypervisorConfig;
import org.vcj.api.Interface;
import org.vcj.api.hypervisor.GuestNetwork;
import org.vcj.api.hypervisor.NicAttachment;
import org.vcj.api.HypervisorException;
import org.vcj.api.InvalidConfigException;
import org.vcj.api.hypervisor.Hypervisor;
import org.vcj.api.hypervisor.HypervisorCapabilities;
import org.vcj.api.hypervisor.VM;
import org.vcj.api.hypervisor.VMConfig;
import org.vcj.api.hypervisor.VMTemplate;
import org.vcj.support.process.HostProcess;

/**
 * The QEMU hypervisor: one daemonized QEMU per sandbox, the guest kernel booted directly, the agent reached over
 * a virtio-serial port whose host end is {@code <runDir>/agent.sock}, containers' files over virtio-9p. The VM
 * record keeps QEMU's pid and start time, so a fresh runtime finds and controls the same QEMU again.
 */
@Component(service = Hypervisor.class, property = Hypervisor.TYPE + "=qemu")
public final class QemuHypervisor implements Hypervisor {

    private static final System.Logger LOG = System.getLogger(QemuHypervisor.class.getName());
    static final String GUEST_SHARED_DIR = "/run/vcj/shared";
    private static final Duration QMP_TIMEOUT = Duration.ofSeconds(30);
    private static final long STOP_GRACE_MILLIS = 10_000;
    private static final String ROOT_PORTS = "rootPorts";

    private final GuestFiles guest;

    @Activate
    public QemuHypervisor(BundleContext context) {
        this(GuestFiles.from(context::getProperty));
    }

    QemuHypervisor(GuestFiles guest) {
        this.guest = guest;
    }

    @Override
    public HypervisorCapabilities capabilities() {
        return new HypervisorCapabilities(true, true, true, true, true, true, true, Set.of(HypervisorConfig.SHARED_FS_VIRTIO_9P));
    }

    @Override
    public VM startVM(VMConfig config, Duration timeout) {
        Path run = Path.of(config.runDir());
        HypervisorConfig hc = config.hypervisorConfig();
        int vcpus = hc.numVCPUs() > 0 ? hc.numVCPUs() : 2;
        int memory = hc.memorySize() > 0 ? hc.memorySize() : 1024;
        VMTemplate template = config.template();
        if (template != null && !template.bootToBeTemplate()) requireTemplateFiles(config.id(), template);
        QemuCommandLine cmd = new QemuCommandLine(config.id(), guest.qemu(hc), guest.kernel(hc), guest.initrd(), guest.image(hc),
                Accelerator.choose(hc.machineAccelerators(), () -> new KvmProbe(KvmProbe.defaultCache(), guest.qemu(hc),
                        guest.kernel(hc), guest.initrd(), KvmProbe.TIMEOUT).accelerator()), vcpus, memory, run, hc, template);
        List<String> volumeArgs = QemuVolumes.args(config.id(), config.volumes());
        try {
            Files.createDirectories(run.resolve("shared"));
            for (String f : List.of("agent.sock", "qmp.sock", "qemu.pid")) Files.deleteIfExists(run.resolve(f));
            QemuNetwork.Started net = startNetwork(config, run);
            List<String> args = new ArrayList<>(HostCommand.in(net.netns(), cmd.args()));
            args.addAll(net.qemuArgs());
            args.addAll(volumeArgs);
            Files.write(run.resolve("qemu.cmdline"), args, StandardCharsets.UTF_8);
            java.lang.Process p = new ProcessBuilder(args).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(run.resolve("qemu.log").toFile())).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
                cleanup(run);
                throw new HypervisorException(config.id(), "startVM", "QEMU did not start; see " + run.resolve("qemu.log")
                        + ": " + tail(run.resolve("qemu.log")), null);
            }
            HostProcess qemu = pidOf(config.id(), run);
            VM vm = new VM(config.id(), "qemu", vcpus, memory, run.toString(), run.resolve("shared").toString(),
                    GUEST_SHARED_DIR, "unix://" + UnixSocketPaths.shortPath(run.resolve("agent.sock")),
                    vmState(qemu, net, cmd));
            try (QmpClient qmp = QmpClient.connect(config.id(), run.resolve("qmp.sock"), QMP_TIMEOUT)) {
                if (template != null && !template.bootToBeTemplate()) {
                    new QemuMigration(config.id(), qmp).restore(Path.of(template.devicesStatePath()), timeout);
                }
                LOG.log(Level.DEBUG, "VM " + config.id() + " is " + qmp.status());
            } catch (RuntimeException e) {
                stopVM(vm, true);
                throw e;
            }
            return vm;
        } catch (IOException e) {
            throw new HypervisorException(config.id(), "startVM", "cannot start QEMU: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HypervisorException(config.id(), "startVM", "interrupted", e);
        }
    }

    @Override
    public void stopVM(VM vm, boolean force) {
        HostProcess qemu = processOf(vm);
        if (qemu.alive() && !force) {
            try (QmpClient qmp = QmpClient.connect(vm.id(), qmpSocket(vm), Duration.ofSeconds(2))) {
                qmp.execute("quit");
            } catch (IOException | HypervisorException e) {
                LOG.log(Level.DEBUG, "QMP quit of " + vm.id() + " failed: " + e.getMessage());
            }
        }
        if (!qemu.awaitExit(force ? 0 : STOP_GRACE_MILLIS)) {
            qemu.signal("KILL", false);
            if (!qemu.awaitExit(STOP_GRACE_MILLIS)) {
                throw new HypervisorException(vm.id(), "stopVM", "QEMU pid " + qemu.pid() + " survived SIGKILL", null);
            }
        }
        try {
            for (String f : List.of("agent.sock", "qmp.sock", "qemu.pid")) Files.deleteIfExists(Path.of(vm.runDir(), f));
            QemuNetwork.stop(vm.id(), Path.of(vm.runDir()));
            UnixSocketPaths.release(Path.of(vm.runDir()));
        } catch (IOException e) {
            throw new HypervisorException(vm.id(), "stopVM", "cannot remove sockets: " + e.getMessage(), e);
        }
    }

    /** Read from the guest's console: /init and the agent print their milestones there. */
    @Override
    public String bootStage(VM vm) {
        String console;
        try {
            console = Files.readString(Path.of(vm.runDir(), "console.log"), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
        if (console.contains("agent ready")) return "agent ready";
        if (console.contains("vcj-init: agent starting")) return "agent starting";
        if (console.contains(KvmProbe.INIT_MARK)) return "init";
        return "kernel";
    }

    @Override public void pauseVM(VM vm) { qmp(vm, "stop"); }
    @Override public void resumeVM(VM vm) { qmp(vm, "cont"); }

    /**
     * Pauses the VM and writes its device state to {@code stateFile}. Guest RAM is not written: a VM booted to be a
     * template keeps it in its shared memory file, which clones map copy-on-write. The guest must not have the 9p
     * share mounted (QEMU refuses; the agent mounts it only when a sandbox is assigned).
     */
    @Override
    public void saveVM(VM vm, Path stateFile) {
        try (QmpClient qmp = QmpClient.connect(vm.id(), qmpSocket(vm), QMP_TIMEOUT)) {
            new QemuMigration(vm.id(), qmp).save(stateFile, QMP_TIMEOUT);
        } catch (IOException e) {
            throw new HypervisorException(vm.id(), "saveVM", "QMP failed: " + e.getMessage(), e);
        }
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
        return withQmp(vm, "addDevice", qmp -> new QemuBlockDevices(vm.id(), qmp, rootPorts(vm)).add(info));
    }

    @Override
    public void removeDevice(VM vm, Device device) {
        withQmp(vm, "removeDevice", qmp -> {
            new QemuBlockDevices(vm.id(), qmp, rootPorts(vm)).remove(device.id());
            return null;
        });
    }

    @Override
    public VM resizeVCPUs(VM vm, int vcpus) {
        return withQmp(vm, "resizeVCPUs", qmp -> vm.withResources(new QemuCpuHotplug(vm.id(), qmp).growTo(vcpus), vm.memoryMiB()));
    }

    @Override
    public VM resizeMemory(VM vm, int memoryMiB) {
        return withQmp(vm, "resizeMemory", qmp -> vm.withResources(vm.vcpus(),
                new QemuMemoryHotplug(vm.id(), qmp).growTo(memoryMiB)));
    }

    /** The VM's PCIe root ports for hotplug, as its command line reserved them. */
    private static int rootPorts(VM vm) {
        return Integer.parseInt(vm.state().getOrDefault(ROOT_PORTS, Integer.toString(QemuCommandLine.ROOT_PORTS)));
    }

    private interface QmpAction<T> {
        T run(QmpClient qmp) throws IOException;
    }

    private static <T> T withQmp(VM vm, String operation, QmpAction<T> action) {
        try (QmpClient qmp = QmpClient.connect(vm.id(), qmpSocket(vm), QMP_TIMEOUT)) {
            return action.run(qmp);
        } catch (IOException e) {
            throw new HypervisorException(vm.id(), operation, "QMP failed: " + e.getMessage(), e);
        }
    }

    @Override
    public List<Long> pids(VM vm) {
        HostProcess qemu = processOf(vm);
        List<Long> pids = new ArrayList<>();
        if (qemu.alive()) pids.add(qemu.pid());
        return pids;
    }

    @Override
    public void check(VM vm) {
        if (!processOf(vm).alive()) {
            throw new HypervisorException(vm.id(), "check", "QEMU (pid " + vm.state().get("pid") + ") is gone; console: "
                    + tail(Path.of(vm.runDir(), "console.log")), null);
        }
    }

    /**
     * Kills a QEMU a crashed runtime started in {@code runDir} but never recorded (found by its pidfile; the process
     * must be a QEMU that wrote such a pidfile: a VM factory may have moved its directory since it started).
     */
    @Override
    public void cleanup(Path runDir) {
        try {
            HostProcess qemu = pidOf(runDir.getFileName().toString(), runDir);
            List<String> args = List.of(Files.readString(Path.of("/proc", Long.toString(qemu.pid()), "cmdline")).split("\0"));
            int i = args.indexOf("-pidfile");
            if (i >= 0 && i + 1 < args.size() && args.get(i + 1).endsWith("/qemu.pid") && args.get(0).contains("qemu")) {
                qemu.signal("KILL", false);
                qemu.awaitExit(STOP_GRACE_MILLIS);
            }
        } catch (IOException | HypervisorException e) {
            LOG.log(Level.DEBUG, "no QEMU to clean up in " + runDir + ": " + e.getMessage());
        }
        QemuNetwork.stop(runDir.getFileName().toString(), runDir);
        UnixSocketPaths.release(runDir);
    }

    @Override
    public GuestNetwork guestNetwork(VM vm) {
        return QemuNetwork.guest(vm);
    }

    @Override
    public NicAttachment addInterface(VM vm, Interface inf) {
        return QemuNicHotplug.add(vm, inf, Integer.parseInt(vm.state().getOrDefault(ROOT_PORTS, Integer.toString(QemuCommandLine.ROOT_PORTS))));
    }

    @Override
    public VM removeInterface(VM vm, Interface inf) {
        return QemuNicHotplug.remove(vm, inf);
    }

    /** The network namespace and NICs; what was made is undone when a later step fails. */
    private static QemuNetwork.Started startNetwork(VMConfig config, Path run) {
        if (config.template() != null && config.template().bootToBeTemplate()) {
            // a template is saved and quit, never used by a sandbox itself: it needs no namespace and no NIC (its
            // clones get their own), and QEMU's run directory is published elsewhere once it is saved
            return new QemuNetwork.Started("", List.of(), Map.of());
        }
        try {
            return QemuNetwork.start(config.id(), run, config.network());
        } catch (RuntimeException e) {
            try {
                QemuNetwork.stop(config.id(), run);
            } catch (RuntimeException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
    }

    private static Map<String, String> vmState(HostProcess qemu, QemuNetwork.Started net, QemuCommandLine cmd) {
        Map<String, String> state = new java.util.HashMap<>(net.state());
        state.put("pid", Long.toString(qemu.pid()));
        state.put("startTime", Long.toString(qemu.startTime()));
        state.put(ROOT_PORTS, Integer.toString(cmd.rootPorts()));
        return state;
    }

    private static void requireTemplateFiles(String id, VMTemplate t) {
        for (String f : new String[] {t.memoryPath(), t.devicesStatePath()}) {
            if (f == null || !Files.isRegularFile(Path.of(f))) {
                throw new InvalidConfigException("VMTemplate", String.valueOf(f), "a clone of VM " + id
                        + " needs the template's memory and device state files; make the template again ('vcj factory init')");
            }
        }
    }

    private void qmp(VM vm, String command) {
        try (QmpClient qmp = QmpClient.connect(vm.id(), qmpSocket(vm), QMP_TIMEOUT)) {
            qmp.execute(command);
        } catch (IOException e) {
            throw new HypervisorException(vm.id(), command, "QMP failed: " + e.getMessage(), e);
        }
    }

    private static Path qmpSocket(VM vm) {
        return Path.of(vm.runDir(), "qmp.sock");
    }

    private static HostProcess processOf(VM vm) {
        try {
            return new HostProcess(Long.parseLong(vm.state().get("pid")), Long.parseLong(vm.state().get("startTime")));
        } catch (RuntimeException e) {
            throw new HypervisorException(vm.id(), "attach", "the saved VM record has no QEMU pid: " + vm.state(), e);
        }
    }

    private static HostProcess pidOf(String id, Path run) throws IOException {
        Path pidFile = run.resolve("qemu.pid");
        if (!Files.isRegularFile(pidFile)) throw new HypervisorException(id, "startVM", "QEMU wrote no " + pidFile, null);
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        return HostProcess.of(pid).orElseThrow(() -> new HypervisorException(id, "startVM",
                "QEMU exited at once; see " + run.resolve("console.log"), null));
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no " + file.getFileName() + ")";
        }
    }
}
