package org.vcj.hypervisor.qemu.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.vcj.api.IPAddress;
import org.vcj.api.Interface;
import org.vcj.api.Route;

/**
 * What a network namespace holds, read from {@code ip -o link}, {@code ip -o addr} and {@code ip -4 route} output:
 * its Ethernet interfaces other than {@code lo} and vcj's own taps, with MAC, MTU and global addresses, and its
 * gateway routes. Pure text parsing: the caller runs the commands.
 */
final class NetnsScan {

    /** Prefix of the taps vcj makes; they are never taken for a host interface to connect. */
    static final String TAP_PREFIX = "vcjtap";

    private NetnsScan() {
    }

    /** The interfaces of {@code ip -o link show} and {@code ip -o addr show} output, in link order. */
    static List<Interface> interfaces(String links, String addrs) {
        Map<String, Interface> byName = new LinkedHashMap<>();
        for (String line : links.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 3 || !f[0].endsWith(":")) continue;
            String name = f[1].replaceAll(":$", "").replaceAll("@.*$", "");
            String mac = after(f, "link/ether");
            if (name.equals("lo") || name.startsWith(TAP_PREFIX) || mac == null) continue;
            String mtu = after(f, "mtu");
            byName.put(name, new Interface(name, name, List.of(), mtu == null ? 0 : Long.parseLong(mtu), mac, "", "", 0));
        }
        Map<String, List<IPAddress>> addresses = new LinkedHashMap<>();
        for (String line : addrs.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 4 || !byName.containsKey(f[1]) || !(f[2].equals("inet") || f[2].equals("inet6"))) continue;
            if ("link".equals(after(f, "scope")) || "host".equals(after(f, "scope"))) continue;
            String[] cidr = f[3].split("/");
            addresses.computeIfAbsent(f[1], k -> new ArrayList<>())
                    .add(new IPAddress(f[2].equals("inet") ? 4 : 6, cidr[0], cidr.length > 1 ? cidr[1] : ""));
        }
        List<Interface> out = new ArrayList<>();
        for (Interface i : byName.values()) {
            out.add(new Interface(i.device(), i.name(), addresses.getOrDefault(i.name(), List.of()), i.mtu(), i.hwAddr(), "", "", 0));
        }
        return out;
    }

    /** The routes through a gateway in {@code ip -4 route show} output on one of {@code devices}. */
    static List<Route> gatewayRoutes(String routes, List<String> devices) {
        List<Route> out = new ArrayList<>();
        for (String line : routes.split("\n")) {
            String[] f = line.trim().split("\\s+");
            String via = after(f, "via");
            String dev = after(f, "dev");
            if (f.length < 3 || via == null || dev == null || !devices.contains(dev)) continue;
            String src = after(f, "src");
            out.add(new Route(f[0].equals("default") ? "" : f[0], via, dev, src, 0));
        }
        return out;
    }

    private static String after(String[] f, String key) {
        for (int i = 0; i + 1 < f.length; i++) {
            if (f[i].equals(key)) return f[i + 1];
        }
        return null;
    }
}
