package org.vcj.hypervisor.qemu.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import org.vcj.api.HypervisorException;
import org.vcj.api.Interface;
import org.vcj.api.InvalidConfigException;
import org.vcj.api.NotFoundException;
import org.vcj.api.hypervisor.NicAttachment;
import org.vcj.api.hypervisor.VM;

/**
 * NIC hotplug on a running QEMU VM: the host side ({@link TcRedirect}) in the VM's namespace, then QMP
 * {@code netdev_add} (tap) and {@code device_add virtio-net-pci} on a free PCIe root port; removal is
 * {@code device_del}, a bounded wait until QEMU has released the device (the guest acknowledged the unplug), then
 * {@code netdev_del} and the host side removed.
 */
final class QemuNicHotplug {

    private static final Duration QMP_TIMEOUT = Duration.ofSeconds(30);
    static final Duration UNPLUG_TIMEOUT = Duration.ofSeconds(40);

    private QemuNicHotplug() {
    }

    /** @param tapOwner the user QEMU runs as (it opens the tap), or empty */
    static NicAttachment add(VM vm, Interface inf, int rootPorts, String tapOwner) {
        String netns = vm.state().get(QemuNics.NETNS);
        if (netns == null) {
            throw new InvalidConfigException("VM", vm.id(), "this VM was started without a network namespace; recreate the sandbox to hot-plug NICs");
        }
        List<QemuNics.Nic> nics = QemuNics.all(vm);
        if (nics.stream().anyMatch(n -> n.name().equals(inf.name()))) {
            throw new InvalidConfigException("Interface.Name", inf.name(), "sandbox " + vm.id() + " already has a NIC of that name; remove it first");
        }
        QemuRunAs.requireTun(vm.id(), "addInterface", tapOwner);
        Interface host = QemuNetwork.scan(vm.id(), netns).stream().filter(i -> i.name().equals(inf.name())).findFirst().orElse(null);
        String mac = !inf.hwAddr().isEmpty() ? inf.hwAddr() : host != null ? host.hwAddr() : randomMac();
        Set<String> taps = nics.stream().map(QemuNics.Nic::tap).collect(Collectors.toSet());
        int n = 0;
        while (taps.contains(NetnsScan.TAP_PREFIX + n)) n++;
        QemuNics.Nic nic = new QemuNics.Nic(inf.name(), NetnsScan.TAP_PREFIX + n, host == null ? null : host.name(), mac, null);
        NetworkJournal journal = new NetworkJournal(vm.id(), Path.of(vm.runDir()));
        QemuNetwork.connect(vm.id(), netns, journal, nic.redirect().ownedBy(tapOwner));
        Set<String> used = nics.stream().map(QemuNics.Nic::port).filter(p -> p != null).collect(Collectors.toSet());
        try (QmpClient qmp = QmpClient.connect(vm.id(), QemuRunFiles.of(vm).qmpSocket(), QMP_TIMEOUT)) {
            qmp.execute("netdev_add", netdevAdd(nic));
            String port = plug(vm, qmp, nic, used, rootPorts);
            nic = new QemuNics.Nic(nic.name(), nic.tap(), nic.hostIf(), nic.mac(), port);
        } catch (IOException | RuntimeException e) {
            QemuNetwork.disconnect(vm.id(), netns, journal, nic.redirect());
            if (e instanceof RuntimeException re) throw re;
            throw new HypervisorException(vm.id(), "addInterface", "QMP failed: " + e.getMessage(), e);
        }
        Map<String, String> state = new HashMap<>(vm.state());
        state.put(QemuNics.key(nic.name()), nic.encode());
        List<org.vcj.api.IPAddress> addrs = inf.ipAddresses().isEmpty() && host != null ? host.ipAddresses() : inf.ipAddresses();
        long mtu = inf.mtu() > 0 ? inf.mtu() : host != null ? host.mtu() : 0;
        Interface guest = new Interface(inf.name(), inf.name(), addrs, mtu, mac, nic.port(), "virtio-net", 0);
        return new NicAttachment(vm.withState(state), guest);
    }

    /**
     * Plugs the NICs made with the VM (taps and redirects in place, recorded in its state without a port) into a VM
     * that runs without them: a template clone, whose saved device state has no NIC. Each gets {@code netdev_add} and
     * {@code device_add} on a free root port, which its record then names; the agent finds it by MAC in the guest. A
     * QEMU that runs as {@code tapOwner} opens the taps itself: {@link QemuRunAs#requireTun}.
     */
    static VM plugCreated(VM vm, QmpClient qmp, int rootPorts, String tapOwner) throws IOException {
        List<QemuNics.Nic> nics = QemuNics.all(vm);
        if (!nics.isEmpty()) QemuRunAs.requireTun(vm.id(), "startVM", tapOwner);
        Set<String> used = nics.stream().map(QemuNics.Nic::port).filter(p -> p != null).collect(Collectors.toSet());
        Map<String, String> state = new HashMap<>(vm.state());
        for (QemuNics.Nic nic : nics) {
            if (nic.port() != null) continue;
            qmp.execute("netdev_add", netdevAdd(nic));
            String port = plug(vm, qmp, nic, used, rootPorts);
            used.add(port);
            state.put(QemuNics.key(nic.name()), new QemuNics.Nic(nic.name(), nic.tap(), nic.hostIf(), nic.mac(), port).encode());
        }
        return vm.withState(state);
    }

    /** device_add on the first root port that takes it; a port another device holds is skipped. */
    private static String plug(VM vm, QmpClient qmp, QemuNics.Nic nic, Set<String> used, int rootPorts) throws IOException {
        HypervisorException last = null;
        for (int i = 0; i < rootPorts; i++) {
            String port = "rp" + i;
            if (used.contains(port)) continue;
            try {
                qmp.execute("device_add", deviceAdd(nic, port));
                return port;
            } catch (HypervisorException busy) {
                last = busy;
            }
        }
        try {
            qmp.execute("netdev_del", QmpJson.object(Map.of("id", nic.netdevId())));
        } catch (HypervisorException ignored) {
            // best effort: the caller reports the reason
        }
        throw new InvalidConfigException("HypervisorConfig.DefaultBridges", Integer.toString(rootPorts), "no free PCIe root port in VM "
                + vm.id() + " for NIC " + nic.name() + (last == null ? "" : " (last QMP answer: " + last.getMessage() + ")")
                + "; remove a hot-plugged device or create the sandbox with more DefaultBridges");
    }

    static VM remove(VM vm, Interface inf) {
        QemuNics.Nic nic = QemuNics.all(vm).stream()
                .filter(n -> n.name().equals(inf.name()) || !inf.hwAddr().isEmpty() && n.mac().equalsIgnoreCase(inf.hwAddr()))
                .findFirst().orElseThrow(() -> new NotFoundException("interface", inf.name(), "sandbox " + vm.id()
                        + " has no NIC of that name or MAC; see 'vcj network list-ifaces " + vm.id() + "'"));
        if (nic.port() == null) {
            throw new InvalidConfigException("Interface.Name", inf.name(), "NIC " + inf.name() + " of sandbox " + vm.id()
                    + " was connected at creation (not hot-plugged) and stays until the sandbox is deleted");
        }
        try (QmpClient qmp = QmpClient.connect(vm.id(), QemuRunFiles.of(vm).qmpSocket(), QMP_TIMEOUT)) {
            qmp.execute("device_del", QmpJson.object(Map.of("id", nic.deviceId())));
            awaitGone(vm, qmp, nic.deviceId());
            qmp.execute("netdev_del", QmpJson.object(Map.of("id", nic.netdevId())));
        } catch (IOException e) {
            throw new HypervisorException(vm.id(), "removeInterface", "QMP failed: " + e.getMessage(), e);
        }
        QemuNetwork.disconnect(vm.id(), vm.state().get(QemuNics.NETNS), new NetworkJournal(vm.id(), Path.of(vm.runDir())), nic.redirect());
        Map<String, String> state = new HashMap<>(vm.state());
        state.remove(QemuNics.key(nic.name()));
        return vm.withState(state);
    }

    /** Polls QEMU until the device is gone (it goes once the guest released it), bounded by {@link #UNPLUG_TIMEOUT}. */
    private static void awaitGone(VM vm, QmpClient qmp, String deviceId) throws IOException {
        long deadline = System.nanoTime() + UNPLUG_TIMEOUT.toNanos();
        while (true) {
            try {
                qmp.execute("qom-get", QmpJson.object(Map.of("path", "/machine/peripheral/" + deviceId, "property", "type")));
            } catch (HypervisorException gone) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new HypervisorException(vm.id(), "removeInterface", "the guest did not release NIC " + deviceId + " within "
                        + UNPLUG_TIMEOUT + "; it is still plugged (retry, or delete the sandbox)", null);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HypervisorException(vm.id(), "removeInterface", "interrupted", e);
            }
        }
    }

    /** {@code netdev_add} of the NIC's tap (made by vcj beforehand: no script, no vhost). */
    static String netdevAdd(QemuNics.Nic nic) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("type", "tap");
        a.put("id", nic.netdevId());
        a.put("ifname", nic.tap());
        a.put("script", "no");
        a.put("downscript", "no");
        a.put("vhost", false);
        return QmpJson.object(a);
    }

    /**
     * {@code device_add} of the NIC's virtio-net device in slot 0 of a root port: without {@code addr} QEMU puts it in
     * another slot of a port a disk already holds, where the guest never looks (a PCIe port has one device).
     */
    static String deviceAdd(QemuNics.Nic nic, String port) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("driver", "virtio-net-pci");
        a.put("id", nic.deviceId());
        a.put("netdev", nic.netdevId());
        a.put("mac", nic.mac());
        a.put("bus", port);
        a.put("addr", "0");
        return QmpJson.object(a);
    }

    private static String randomMac() {
        byte[] b = new byte[5];
        ThreadLocalRandom.current().nextBytes(b);
        return String.format("02:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3], b[4]);
    }
}
