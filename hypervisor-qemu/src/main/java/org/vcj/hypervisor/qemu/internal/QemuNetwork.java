package org.vcj.hypervisor.qemu.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.vcj.api.Interface;
import org.vcj.api.InvalidConfigException;
import org.vcj.api.NetInterworkingModel;
import org.vcj.api.NetworkConfig;
import org.vcj.api.hypervisor.GuestNetwork;
import org.vcj.api.hypervisor.VM;

/**
 * The network of a QEMU VM (Kata's {@code tcfilter} model): QEMU runs in a network namespace (the configured one, or
 * {@code vcj-<vmId>-<hash>} made for it and removed with it); every Ethernet interface found there is joined to a virtio-net
 * NIC through a tap and tc redirects both ways; the NIC has the interface's MAC. What it made is journaled in the run
 * directory before it is made ({@link NetworkJournal}) and named in the VM state ({@link QemuNics}). Without root (no
 * namespace given, none can be made) the VM runs in the caller's namespace with no NIC.
 */
final class QemuNetwork {

    static final String NETNS_DIR = "/var/run/netns";

    /** What starting the network gave: the namespace, QEMU's extra arguments and the VM state entries. */
    record Started(String netns, List<String> qemuArgs, Map<String, String> state) {
    }

    private QemuNetwork() {
    }

    /** Sets up the namespace and the NICs of every interface in it, before QEMU starts. Undone by {@link #stop}. */
    static Started start(String vmId, Path runDir, NetworkConfig config, String tapOwner) {
        if (config.interworkingModel() != NetInterworkingModel.NET_X_CONNECT_DEFAULT_MODEL) {
            throw new InvalidConfigException("NetworkConfig.InterworkingModel", config.interworkingModel().name(),
                    "the qemu hypervisor connects networks with tc redirects only (NET_X_CONNECT_DEFAULT_MODEL)");
        }
        NetworkJournal journal = new NetworkJournal(vmId, runDir);
        String netns = config.netNSPath();
        boolean created = netns.isEmpty();
        if (created && !privileged()) {
            // only root can make a namespace: the VM runs without one (no NIC, none to hot-plug), as before networking
            return new Started("", List.of(), Map.of());
        }
        if (created) {
            String name = netnsName(vmId, runDir);
            netns = NETNS_DIR + "/" + name;
            journal.netns(netns, true);
            // the name is this VM's alone (its run directory is in it): one left by a crash whose journal went with
            // its root is stale, and would make `ip netns add` fail for good
            if (Files.exists(Path.of(netns))) HostCommand.run(vmId, List.of("ip", "netns", "delete", name));
            HostCommand.run(vmId, List.of("ip", "netns", "add", name));
        } else {
            if (!Files.exists(Path.of(netns))) {
                throw new InvalidConfigException("NetworkConfig.NetNSPath", netns, "no such network namespace for VM " + vmId
                        + "; create it first (ip netns add NAME gives /var/run/netns/NAME)");
            }
            journal.netns(netns, false);
        }
        HostCommand.run(vmId, HostCommand.in(netns, List.of("ip", "link", "set", "dev", "lo", "up")));
        Map<String, String> state = new HashMap<>();
        state.put(QemuNics.NETNS, netns);
        state.put(QemuNics.NETNS_CREATED, Boolean.toString(created));
        List<String> args = new ArrayList<>();
        int n = 0;
        for (Interface inf : scan(vmId, netns)) {
            QemuNics.Nic nic = new QemuNics.Nic(inf.name(), NetnsScan.TAP_PREFIX + n++, inf.name(), inf.hwAddr(), null);
            connect(vmId, netns, journal, nic.redirect().ownedBy(tapOwner));
            args.addAll(List.of("-netdev", "tap,id=" + nic.netdevId() + ",ifname=" + nic.tap() + ",script=no,downscript=no,vhost=off",
                    "-device", "virtio-net-pci,id=" + nic.deviceId() + ",netdev=" + nic.netdevId() + ",mac=" + nic.mac()));
            state.put(QemuNics.key(nic.name()), nic.encode());
        }
        return new Started(netns, args, state);
    }

    /**
     * {@code vcj-<vmId>-<8 hex digits of the run directory's hash>}: namespace names are global to the host, so two
     * roots (or a template built again under another root) with the same VM id must not meet there.
     */
    static String netnsName(String vmId, Path runDir) {
        String hash;
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(runDir.toAbsolutePath().normalize().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            hash = java.util.HexFormat.of().formatHex(d, 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        return "vcj-" + (vmId.length() <= 200 ? vmId + "-" : "") + hash;
    }

    /** Whether this process may make network namespaces (runs as root). */
    static boolean privileged() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[2].equals("0"));
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    /** Makes the tap and redirects of one NIC (journaled first). */
    static void connect(String vmId, String netns, NetworkJournal journal, TcRedirect r) {
        journal.tap(r);
        for (List<String> cmd : r.setup()) HostCommand.run(vmId, HostCommand.in(netns, cmd));
    }

    /** Removes the tap and redirects of one NIC (what is already gone is skipped). */
    static void disconnect(String vmId, String netns, NetworkJournal journal, TcRedirect r) {
        for (List<String> cmd : r.teardown()) HostCommand.tryRun(vmId, HostCommand.in(netns, cmd));
        journal.untap(r.tap());
    }

    /** The Ethernet interfaces of the namespace other than lo and vcj's taps, with their addresses. */
    static List<Interface> scan(String vmId, String netns) {
        return NetnsScan.interfaces(HostCommand.run(vmId, HostCommand.in(netns, List.of("ip", "-o", "link", "show"))),
                HostCommand.run(vmId, HostCommand.in(netns, List.of("ip", "-o", "addr", "show"))));
    }

    /** The guest's side of the NICs joined to host interfaces: the interfaces as they are on the host, and their gateway routes. */
    static GuestNetwork guest(VM vm) {
        String netns = vm.state().get(QemuNics.NETNS);
        if (netns == null) return GuestNetwork.NONE;
        List<String> joined = QemuNics.all(vm).stream().filter(n -> n.hostIf() != null).map(QemuNics.Nic::hostIf).toList();
        List<Interface> interfaces = scan(vm.id(), netns).stream().filter(i -> joined.contains(i.name())).toList();
        String routes = HostCommand.run(vm.id(), HostCommand.in(netns, List.of("ip", "-4", "route", "show")));
        return new GuestNetwork(interfaces, NetnsScan.gatewayRoutes(routes, joined));
    }

    /**
     * Removes every tap the run directory's journal names and the namespace vcj made; idempotent. Called after QEMU
     * stopped, and by cleanup for a VM that was never recorded.
     */
    static void stop(String vmId, Path runDir) {
        NetworkJournal journal = new NetworkJournal(vmId, runDir);
        if (!journal.exists()) return;
        String netns = journal.netnsPath();
        if (netns != null && Files.exists(Path.of(netns))) {
            for (TcRedirect r : journal.taps()) disconnect(vmId, netns, journal, r);
        }
        if (netns != null && journal.netnsCreated() && Files.exists(Path.of(netns))) {
            HostCommand.run(vmId, List.of("ip", "netns", "del", Path.of(netns).getFileName().toString()));
        }
        journal.delete();
    }
}
