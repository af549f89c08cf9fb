package org.vcj.agent.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.vcj.agent.protocol.IPAddress;
import org.vcj.agent.protocol.Interface;
import org.vcj.agent.protocol.Route;

/**
 * Guest networking: reads interfaces from /sys/class/net (+ addresses from {@code ip -o addr})
 * and routes from /proc/net/route; applies changes with {@code ip} (iproute2 or busybox).
 * A default route is listed with dest "default" (updates accept "" or "default"). Stateless.
 */
public final class NetworkConfigurator {
    private static final Path NET = Path.of("/sys/class/net");
    private static final long MAC_WAIT_MILLIS = 15_000;

    /** Every interface of the guest. */
    public List<Interface> interfaces() throws IOException {
        List<Interface> out = new ArrayList<>();
        String addrs = ipOutput("-o", "addr", "show");
        try (Stream<Path> s = Files.list(NET)) {
            for (Path dev : (Iterable<Path>) s.sorted()::iterator) {
                out.add(read(dev.getFileName().toString(), addrs));
            }
        }
        return out;
    }

    private Interface read(String name, String addrs) {
        Path d = NET.resolve(name);
        Interface.Builder b = Interface.newBuilder().setDevice(name).setName(name)
                .setMtu(num(d.resolve("mtu"))).setHwAddr(text(d.resolve("address")))
                .setRawFlags((int) num(d.resolve("flags")))
                .setType(Files.exists(d.resolve("device")) ? "physical" : (name.equals("lo") ? "loopback" : "virtual"));
        for (String line : addrs.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[1].equals(name) && (f[2].equals("inet") || f[2].equals("inet6"))) {
                String[] cidr = f[3].split("/");
                b.addIpAddresses(IPAddress.newBuilder().setFamily(f[2].equals("inet") ? 2 : 10)
                        .setAddress(cidr[0]).setMask(cidr.length > 1 ? cidr[1] : ""));
            }
        }
        return b.build();
    }

    /** IPv4 routes from /proc/net/route. */
    public List<Route> routes() throws IOException {
        List<Route> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(Path.of("/proc/net/route"));
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 8) {
                continue;
            }
            String dest = hexIp(f[1]);
            int prefix = Integer.bitCount((int) Long.parseLong(f[7], 16));
            String gw = hexIp(f[2]);
            out.add(Route.newBuilder().setDevice(f[0])
                    .setDest(prefix == 0 && dest.equals("0.0.0.0") ? "default" : dest + "/" + prefix)
                    .setGateway(gw.equals("0.0.0.0") ? "" : gw)
                    .setScope(gw.equals("0.0.0.0") ? 253 : 0).build());
        }
        return out;
    }

    /** Renames (name != device), sets MTU and addresses and brings the link up; returns the result. */
    public Interface update(Interface want) throws IOException {
        String dev = want.getHwAddr().isEmpty() ? "" : byMac(want.getHwAddr());
        if (dev.isEmpty()) dev = want.getDevice().isEmpty() ? want.getName() : want.getDevice();
        if (dev.isEmpty() || !Files.exists(NET.resolve(dev))) {
            throw AgentErrors.notFound("interface '" + dev + "' not found in the guest (/sys/class/net)");
        }
        if (!want.getName().isEmpty() && !want.getName().equals(dev)) {
            ip("link", "set", "dev", dev, "down");
            ip("link", "set", "dev", dev, "name", want.getName());
            dev = want.getName();
        }
        if (want.getMtu() > 0) {
            ip("link", "set", "dev", dev, "mtu", Long.toString(want.getMtu()));
        }
        if (want.getIpAddressesCount() > 0) {
            ip("addr", "flush", "dev", dev);
            for (IPAddress a : want.getIpAddressesList()) {
                String cidr = a.getMask().isEmpty() ? a.getAddress() : a.getAddress() + "/" + a.getMask();
                ip("addr", "add", cidr, "dev", dev);
            }
        }
        ip("link", "set", "dev", dev, "up");
        return read(dev, ipOutput("-o", "addr", "show"));
    }

    /**
     * The interface with this MAC; a NIC just hot-plugged may take a moment to appear, so this waits for it (bounded by
     * {@link #MAC_WAIT_MILLIS}); "" when none has it.
     */
    private static String byMac(String mac) throws IOException {
        long deadline = System.nanoTime() + MAC_WAIT_MILLIS * 1_000_000L;
        while (true) {
            try (Stream<Path> s = Files.list(NET)) {
                for (Path dev : (Iterable<Path>) s::iterator) {
                    if (text(dev.resolve("address")).equalsIgnoreCase(mac)) return dev.getFileName().toString();
                }
            }
            if (System.nanoTime() > deadline) return "";
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "";
            }
        }
    }

    /** Adds or replaces each route; returns the guest's routes afterwards. */
    public List<Route> update(List<Route> routes) throws IOException {
        for (Route r : routes) {
            List<String> cmd = new ArrayList<>(List.of("route", "replace",
                    r.getDest().isEmpty() ? "default" : r.getDest()));
            if (!r.getGateway().isEmpty()) {
                cmd.addAll(List.of("via", r.getGateway()));
            }
            if (!r.getDevice().isEmpty()) {
                cmd.addAll(List.of("dev", r.getDevice()));
            }
            if (!r.getSource().isEmpty()) {
                cmd.addAll(List.of("src", r.getSource()));
            }
            ip(cmd.toArray(new String[0]));
        }
        return routes();
    }

    private static void ip(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        OciRuntime.Result r = OciRuntime.exec(cmd, 10_000);
        if (r.code() != 0) {
            throw AgentErrors.internal(String.join(" ", cmd) + " failed (exit " + r.code() + "): " + r.stderr().trim(), null);
        }
    }

    private static String ipOutput(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        try {
            OciRuntime.Result r = OciRuntime.exec(cmd, 10_000);
            return r.code() == 0 ? r.out() : "";
        } catch (IOException noIp) {
            return "";
        }
    }

    private static String hexIp(String hex) {
        long v = Long.parseLong(hex, 16);
        return (v & 0xff) + "." + ((v >> 8) & 0xff) + "." + ((v >> 16) & 0xff) + "." + ((v >> 24) & 0xff);
    }

    private static long num(Path f) {
        String t = text(f);
        try {
            return t.startsWith("0x") ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String text(Path f) {
        try {
            return Files.readString(f).trim();
        } catch (IOException e) {
            return "";
        }
    }
}
