package org.vcj.agent.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The host's IPv4 routes of the main table as {@code ip -4 route} (netlink) shows them, as "dest gateway device"
 * strings: a second, independent view to check what the agent reads from {@code /proc/net/route}.
 */
public final class HostRoutes {

    private HostRoutes() { }

    /** Each route as {@code "<dest> <gateway or -> <device>"}; dest is {@code default} or {@code a.b.c.d/len}. */
    public static Set<String> ipv4Main() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ip", "-4", "route", "show", "table", "main").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("ip -4 route failed: " + out);
        Set<String> routes = new TreeSet<>();
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 3 || !(f[0].equals("default") || Character.isDigit(f[0].charAt(0)))) continue;
            String dest = f[0].equals("default") || f[0].contains("/") ? f[0] : f[0] + "/32";
            routes.add(dest + " " + after(f, "via") + " " + after(f, "dev"));
        }
        return routes;
    }

    /** The same form for one route. */
    public static String of(String dest, String gateway, String device) {
        return dest + " " + (gateway.isEmpty() ? "-" : gateway) + " " + device;
    }

    private static String after(String[] f, String key) {
        for (int i = 0; i + 1 < f.length; i++) if (f[i].equals(key)) return f[i + 1];
        return "-";
    }
}
