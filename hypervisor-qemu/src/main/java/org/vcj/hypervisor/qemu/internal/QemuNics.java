package org.vcj.hypervisor.qemu.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.vcj.api.hypervisor.VM;

/**
 * The NICs of a QEMU VM as its record keeps them: state entries {@code nic.<name>} =
 * {@code tap=T,host=H|-,mac=M,port=P|-} (port: the PCIe root port of a hot-plugged NIC), plus the namespace.
 */
final class QemuNics {

    static final String NETNS = "netns";
    static final String NETNS_CREATED = "netnsCreated";
    private static final String PREFIX = "nic.";

    /**
     * One NIC.
     *
     * @param name   the interface name (the host interface's, and the guest's)
     * @param tap    its tap in the namespace
     * @param hostIf the host interface joined to it, or null for a tap only
     * @param mac    the NIC's MAC
     * @param port   the root port it was hot-plugged into, or null when on the command line
     */
    record Nic(String name, String tap, String hostIf, String mac, String port) {
        String netdevId() { return "hn-" + tap; }
        String deviceId() { return "hd-" + tap; }
        TcRedirect redirect() { return new TcRedirect(tap, hostIf); }

        String encode() {
            return "tap=" + tap + ",host=" + (hostIf == null ? "-" : hostIf) + ",mac=" + mac + ",port=" + (port == null ? "-" : port);
        }

        static Nic decode(String name, String value) {
            Map<String, String> m = new java.util.HashMap<>();
            for (String kv : value.split(",")) {
                int eq = kv.indexOf('=');
                if (eq > 0) m.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
            return new Nic(name, m.get("tap"), orNull(m.get("host")), m.get("mac"), orNull(m.get("port")));
        }

        private static String orNull(String v) {
            return v == null || v.equals("-") ? null : v;
        }
    }

    private QemuNics() {
    }

    static String key(String name) {
        return PREFIX + name;
    }

    static List<Nic> all(VM vm) {
        List<Nic> out = new ArrayList<>();
        vm.state().forEach((k, v) -> {
            if (k.startsWith(PREFIX)) out.add(Nic.decode(k.substring(PREFIX.length()), v));
        });
        out.sort(java.util.Comparator.comparing(Nic::tap));
        return out;
    }
}
