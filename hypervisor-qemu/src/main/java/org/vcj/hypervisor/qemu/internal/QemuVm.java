package org.vcj.hypervisor.qemu.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.vcj.api.HypervisorConfig;
import org.vcj.api.HypervisorException;
import org.vcj.api.InvalidConfigException;
import org.vcj.api.hypervisor.VM;
import org.vcj.api.hypervisor.VMConfig;
import org.vcj.api.hypervisor.VMTemplate;
import org.vcj.support.process.HostProcess;

/**
 * The lifecycle of one QEMU VM: its command line from the sandbox's configuration and the plugin's settings, the
 * network made before QEMU starts (and undone when a later step fails), the process started, a template clone's
 * device state loaded; stopping it (QMP quit, then SIGKILL after a grace period) and removing what it left.
 */
final class QemuVm {

    private static final System.Logger LOG = System.getLogger(QemuVm.class.getName());
    static final String GUEST_SHARED_DIR = "/run/vcj/shared";
    static final String ROOT_PORTS = "rootPorts";

    private final GuestFiles guest;
    private final QemuSettings settings;

    QemuVm(GuestFiles guest, QemuSettings settings) {
        this.guest = guest;
        this.settings = settings;
    }

    /** The VM's command line: the sandbox's configuration where it says something, else the settings. */
    QemuCommandLine commandLine(VMConfig config) {
        HypervisorConfig hc = config.hypervisorConfig();
        int vcpus = hc.numVCPUs() > 0 ? hc.numVCPUs() : settings.vcpus();
        int memory = hc.memorySize() > 0 ? hc.memorySize() : settings.memoryMiB();
        String qemu = guest.qemu(hc);
        String accel = Accelerator.choose(hc.machineAccelerators().isBlank() ? settings.accelerator() : hc.machineAccelerators(),
                () -> new KvmProbe(KvmProbe.defaultCache(), qemu, guest.kernel(hc), guest.initrd(), KvmProbe.TIMEOUT).accelerator());
        return new QemuCommandLine(config.id(), qemu, guest.kernel(hc), guest.initrd(), guest.image(hc), accel, vcpus, memory,
                new QemuRunFiles(Path.of(config.runDir())), hc, config.template(), settings);
    }

    VM start(VMConfig config, Duration timeout) {
        QemuRunFiles files = new QemuRunFiles(Path.of(config.runDir()));
        VMTemplate template = config.template();
        boolean clone = template != null && !template.bootToBeTemplate();
        if (clone) requireTemplateFiles(config.id(), template);
        QemuCommandLine cmd = commandLine(config);
        List<String> volumeArgs = QemuVolumes.args(config.id(), config.volumes(), files, settings.user());
        try {
            Files.createDirectories(files.shared());
            files.removeTransient();
            QemuRunAs.grant(config.id(), settings.user(), files.dir());
            QemuNetwork.Started net = startNetwork(config, files.dir());
            try {
                Qemu9pExports.startHelpers(new QemuHelpers(config.id(), files), QemuVolumes.exports(files, config.volumes()), settings.user());
            } catch (RuntimeException e) {
                stopHelpers(config.id(), files, e);
                stopNetwork(config.id(), files.dir(), e);
                throw e;
            }
            List<String> args = new ArrayList<>(HostCommand.in(net.netns(), cmd.args()));
            if (!clone) args.addAll(net.qemuArgs()); // a clone's device state has no NIC: its NICs are hot-plugged below
            args.addAll(volumeArgs);
            Files.write(files.commandLine(), args, StandardCharsets.UTF_8);
            HostProcess qemu;
            try {
                qemu = QemuProcess.start(config.id(), args, files, timeout);
            } catch (IOException | RuntimeException e) {
                stopHelpers(config.id(), files, e);
                stopNetwork(config.id(), files.dir(), e);
                throw e;
            }
            VM vm = new VM(config.id(), QemuHypervisor.TYPE, cmd.vcpus(), cmd.memory(), files.dir().toString(),
                    files.shared().toString(), GUEST_SHARED_DIR, "unix://" + files.agentSocket(), vmState(qemu, net, cmd));
            try (QmpClient qmp = QmpClient.connect(config.id(), files.qmpSocket(), QmpSession.TIMEOUT)) {
                if (clone) {
                    new QemuMigration(config.id(), qmp, files, settings.user()).restore(Path.of(template.devicesStatePath()), timeout);
                    vm = QemuNicHotplug.plugCreated(vm, qmp, rootPorts(vm), settings.user());
                }
                LOG.log(Level.DEBUG, "VM " + config.id() + " is " + qmp.status());
            } catch (IOException | RuntimeException e) {
                String why = qemu.alive() ? e.getMessage() : "QEMU exited at start; see " + files.log() + ": " + QemuProcess.tail(files.log());
                stop(vm, true);
                throw new HypervisorException(config.id(), "startVM", why, e);
            }
            return vm;
        } catch (IOException e) {
            throw new HypervisorException(config.id(), "startVM", "cannot start QEMU: " + e.getMessage(), e);
        }
    }

    /** QMP {@code quit} (unless {@code force}), SIGKILL after the grace period; then its sockets and network go. */
    void stop(VM vm, boolean force) {
        HostProcess qemu = QemuProcess.of(vm);
        QemuRunFiles files = QemuRunFiles.of(vm);
        if (qemu.alive() && !force) {
            try (QmpClient qmp = QmpClient.connect(vm.id(), files.qmpSocket(), Duration.ofSeconds(2))) {
                qmp.execute("quit");
            } catch (IOException | HypervisorException e) {
                LOG.log(Level.DEBUG, "QMP quit of " + vm.id() + " failed: " + e.getMessage());
            }
        }
        QemuProcess.end(vm.id(), qemu, force ? 0 : QemuProcess.STOP_GRACE_MILLIS);
        removeLeftovers(vm.id(), files);
    }

    /** What a crashed runtime left in {@code runDir} without recording it: its QEMU, sockets and network. */
    void cleanup(Path runDir) {
        QemuRunFiles files = new QemuRunFiles(runDir);
        QemuProcess.killUnrecorded(files);
        removeLeftovers(runDir.getFileName().toString(), files);
    }

    /**
     * The one path that removes what a stopped QEMU leaves: its root helpers ({@link QemuHelpers}), its sockets and
     * pid file, its taps and namespace.
     */
    private static void removeLeftovers(String id, QemuRunFiles files) {
        try {
            new QemuHelpers(id, files).stopAll();
            files.removeTransient();
            files.releaseLinks();
        } catch (IOException e) {
            throw new HypervisorException(id, "stopVM", "cannot remove the sockets in " + files.dir() + ": " + e.getMessage(), e);
        } finally {
            QemuNetwork.stop(id, files.dir());   // whatever failed before, the namespace and taps go
        }
    }

    /** The network namespace and NICs; what was made is undone when a later step fails. */
    private QemuNetwork.Started startNetwork(VMConfig config, Path run) {
        if (config.template() != null && config.template().bootToBeTemplate()) {
            // a template is saved and quit, never used by a sandbox itself: it needs no namespace and no NIC (its
            // clones get their own), and QEMU's run directory is published elsewhere once it is saved
            return new QemuNetwork.Started("", List.of(), Map.of());
        }
        try {
            return QemuNetwork.start(config.id(), run, config.network(), settings.user());
        } catch (RuntimeException e) {
            stopNetwork(config.id(), run, e);
            throw e;
        }
    }

    private static void stopHelpers(String id, QemuRunFiles files, Exception cause) {
        try {
            new QemuHelpers(id, files).stopAll();
        } catch (RuntimeException again) {
            cause.addSuppressed(again);
        }
    }

    private static void stopNetwork(String id, Path run, Exception cause) {
        try {
            QemuNetwork.stop(id, run);
        } catch (RuntimeException again) {
            cause.addSuppressed(again);
        }
    }

    private static Map<String, String> vmState(HostProcess qemu, QemuNetwork.Started net, QemuCommandLine cmd) {
        Map<String, String> state = new HashMap<>(net.state());
        state.put("pid", Long.toString(qemu.pid()));
        state.put("startTime", Long.toString(qemu.startTime()));
        state.put(ROOT_PORTS, Integer.toString(cmd.rootPorts()));
        return state;
    }

    /** The VM's PCIe root ports for hotplug, as its command line reserved them. */
    static int rootPorts(VM vm) {
        return Integer.parseInt(vm.state().getOrDefault(ROOT_PORTS, Integer.toString(QemuCommandLine.ROOT_PORTS)));
    }

    private static void requireTemplateFiles(String id, VMTemplate t) {
        for (String f : new String[] {t.memoryPath(), t.devicesStatePath()}) {
            if (f == null || !Files.isRegularFile(Path.of(f))) {
                throw new InvalidConfigException("VMTemplate", String.valueOf(f), "a clone of VM " + id
                        + " needs the template's memory and device state files; make the template again ('vcj factory init')");
            }
        }
    }
}
