package org.vcj.hypervisor.qemu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vcj.api.IPAddress;
import org.vcj.api.Interface;
import org.vcj.api.Route;
import org.vcj.api.hypervisor.VM;

class QemuNetworkPartsTest {

    @Test
    void aRedirectIsATapIngressQdiscsAndU32FiltersBothWays() {
        TcRedirect r = new TcRedirect("vcjtap0", "eth0");
        assertEquals(List.of(
                List.of("ip", "tuntap", "add", "dev", "vcjtap0", "mode", "tap"),
                List.of("ip", "link", "set", "dev", "vcjtap0", "up"),
                List.of("tc", "qdisc", "add", "dev", "eth0", "ingress"),
                List.of("tc", "qdisc", "add", "dev", "vcjtap0", "ingress"),
                List.of("tc", "filter", "add", "dev", "eth0", "parent", "ffff:", "protocol", "all", "u32", "match", "u8", "0", "0",
                        "action", "mirred", "egress", "redirect", "dev", "vcjtap0"),
                List.of("tc", "filter", "add", "dev", "vcjtap0", "parent", "ffff:", "protocol", "all", "u32", "match", "u8", "0", "0",
                        "action", "mirred", "egress", "redirect", "dev", "eth0"),
                List.of("ip", "link", "set", "dev", "eth0", "up")), r.setup());
        assertEquals(List.of(List.of("tc", "qdisc", "del", "dev", "eth0", "ingress"), List.of("ip", "link", "del", "dev", "vcjtap0")),
                r.teardown());
    }

    @Test
    void aNamespaceVcjMakesIsNamedForItsVmAndRoot() {
        String a = QemuNetwork.netnsName("s1", Path.of("/run/vcj/sandboxes/s1/vm"));
        String b = QemuNetwork.netnsName("s1", Path.of("/tmp/other-root/sandboxes/s1/vm"));
        assertTrue(a.matches("vcj-s1-[0-9a-f]{8}"), a);
        assertTrue(b.matches("vcj-s1-[0-9a-f]{8}"), b);
        assertNotEquals(a, b, "the same id under two roots gets two namespaces");
        assertEquals(a, QemuNetwork.netnsName("s1", Path.of("/run/vcj/sandboxes/s1/vm")));
        assertTrue(QemuNetwork.netnsName("x".repeat(250), Path.of("/r")).matches("vcj-[0-9a-f]{8}"), "a long id stays out of the name");
    }

    @Test
    void defaultBridgesDecidesHowManyRootPortsAreReserved() {
        for (int bridges : new int[] {0, 4}) {
            QemuCommandLine cmd = new QemuCommandLine("v", "qemu", Path.of("/k"), Path.of("/i"), Path.of("/g.img"), "tcg", 1, 512,
                    new QemuRunFiles(Path.of("/r")), org.vcj.api.HypervisorConfig.DEFAULT.toBuilder().defaultBridges(bridges).build(), null,
                    QemuSettings.DEFAULTS);
            long ports = cmd.args().stream().filter(a -> a.startsWith("pcie-root-port,")).count();
            assertEquals(bridges == 0 ? QemuCommandLine.ROOT_PORTS : bridges, ports);
            assertEquals(ports, cmd.rootPorts());
        }
    }

    @Test
    void aTapOnlyNicHasNoRedirects() {
        TcRedirect r = new TcRedirect("vcjtap3", null);
        assertEquals(2, r.setup().size());
        assertEquals(List.of(List.of("ip", "link", "del", "dev", "vcjtap3")), r.teardown());
    }

    @Test
    void commandsRunInTheNamespaceByPath() {
        assertEquals(List.of("nsenter", "--net=/var/run/netns/x", "--", "ip", "link"), HostCommand.in("/var/run/netns/x", List.of("ip", "link")));
        assertEquals(List.of("ip", "link"), HostCommand.in("", List.of("ip", "link")));
    }

    @Test
    void theScanTakesEthernetInterfacesButNotLoOrTaps() {
        String links = """
                1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
                2: eth0@if5: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1400 qdisc noqueue state UP mode DEFAULT group default qlen 1000\\    link/ether 86:b3:b5:76:40:94 brd ff:ff:ff:ff:ff:ff link-netns h
                3: vcjtap0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast state UP mode DEFAULT group default qlen 1000\\    link/ether 1e:4e:29:07:fe:ca brd ff:ff:ff:ff:ff:ff
                """;
        String addrs = """
                1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
                2: eth0    inet 192.0.2.2/24 scope global eth0\\       valid_lft forever preferred_lft forever
                2: eth0    inet6 fe80::84b3:b5ff:fe76:4094/64 scope link \\       valid_lft forever preferred_lft forever
                """;
        List<Interface> found = NetnsScan.interfaces(links, addrs);
        assertEquals(List.of(new Interface("eth0", "eth0", List.of(new IPAddress(4, "192.0.2.2", "24")), 1400, "86:b3:b5:76:40:94", "", "", 0)), found);
    }

    @Test
    void onlyGatewayRoutesOfConnectedDevicesAreKept() {
        String routes = """
                default via 192.0.2.1 dev eth0
                192.0.2.0/24 dev eth0 proto kernel scope link src 192.0.2.2
                198.51.100.0/24 via 192.0.2.1 dev eth9
                """;
        assertEquals(List.of(new Route("", "192.0.2.1", "eth0", null, 0)), NetnsScan.gatewayRoutes(routes, List.of("eth0")));
    }

    @Test
    void aNicSurvivesTheVmRecord() {
        QemuNics.Nic nic = new QemuNics.Nic("eth1", "vcjtap1", "eth1", "02:00:00:00:00:01", "rp1");
        QemuNics.Nic tapOnly = new QemuNics.Nic("t0", "vcjtap2", null, "02:00:00:00:00:02", null);
        VM vm = new VM("v", "qemu", 1, 512, "/r", "/r/s", "/g", "unix:///r/a", Map.of("pid", "1",
                QemuNics.key(nic.name()), nic.encode(), QemuNics.key(tapOnly.name()), tapOnly.encode()));
        assertEquals(List.of(nic, tapOnly), QemuNics.all(vm));
        assertEquals("hd-vcjtap1", nic.deviceId());
        assertEquals("hn-vcjtap1", nic.netdevId());
    }

    @Test
    void theJournalKnowsWhatIsStillThere(@TempDir Path run) {
        NetworkJournal j = new NetworkJournal("v", run);
        assertFalse(j.exists());
        assertNull(j.netnsPath());
        j.netns("/var/run/netns/vcj-v", true);
        j.tap(new TcRedirect("vcjtap0", "eth0"));
        j.tap(new TcRedirect("vcjtap1", null));
        j.untap("vcjtap0");
        NetworkJournal again = new NetworkJournal("v", run);
        assertEquals("/var/run/netns/vcj-v", again.netnsPath());
        assertTrue(again.netnsCreated());
        assertEquals(List.of(new TcRedirect("vcjtap1", null)), again.taps());
        again.delete();
        assertFalse(j.exists());
    }
}
