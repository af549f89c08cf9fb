package org.vcj.shell.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.vcj.api.IPAddress;
import org.vcj.api.Interface;
import org.vcj.api.Route;

/**
 * The api {@link Interface} and {@link Route} records as JSON in Kata's field names ({@code kata-network}'s files):
 * an interface {@code {"device","name","IPAddresses":[{"family","address","mask"}],"mtu","hwAddr","pciPath","type"}},
 * a route {@code {"dest","gateway","device","source","scope"}}. Member names are matched ignoring case; an address
 * family is 4 or 6 (Kata's 0/2 and 10 are taken too).
 */
final class NetworkJson {

    private NetworkJson() {
    }

    static Interface iface(Object json) {
        Map<String, Object> m = object(json, "an interface");
        List<IPAddress> addrs = new ArrayList<>();
        for (Object a : list(get(m, "ipAddresses"), "IPAddresses")) {
            Map<String, Object> am = object(a, "an address");
            int family = (int) number(get(am, "family"));
            addrs.add(new IPAddress(family == 10 || family == 6 ? 6 : 4, text(get(am, "address")), text(get(am, "mask"))));
        }
        return new Interface(text(get(m, "device")), text(get(m, "name")), addrs, (long) number(get(m, "mtu")),
                text(get(m, "hwAddr")), text(get(m, "pciPath")), text(get(m, "type")), (int) number(get(m, "rawFlags")));
    }

    /** Routes from a JSON array of routes, or from an object with a {@code Routes} member (Kata's file shape). */
    static List<Route> routes(Object json) {
        Object list = json instanceof Map<?, ?> ? get(object(json, "routes"), "routes") : json;
        List<Route> out = new ArrayList<>();
        for (Object r : list(list, "routes")) {
            Map<String, Object> m = object(r, "a route");
            out.add(new Route(text(get(m, "dest")), text(get(m, "gateway")), text(get(m, "device")), text(get(m, "source")),
                    (int) number(get(m, "scope"))));
        }
        return out;
    }

    static Map<String, Object> toJson(Interface i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("device", i.device());
        m.put("name", i.name());
        List<Object> addrs = new ArrayList<>();
        for (IPAddress a : i.ipAddresses()) {
            Map<String, Object> am = new LinkedHashMap<>();
            am.put("family", a.family());
            am.put("address", a.address());
            am.put("mask", a.mask());
            addrs.add(am);
        }
        m.put("IPAddresses", addrs);
        m.put("mtu", i.mtu());
        m.put("hwAddr", i.hwAddr());
        m.put("pciPath", i.pciPath());
        m.put("type", i.type());
        m.put("rawFlags", i.rawFlags());
        return m;
    }

    static Map<String, Object> toJson(Route r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dest", r.dest());
        m.put("gateway", r.gateway());
        m.put("device", r.device());
        m.put("source", r.source());
        m.put("scope", r.scope());
        return m;
    }

    private static Object get(Map<String, Object> m, String key) {
        for (Map.Entry<String, Object> e : m.entrySet()) {
            if (e.getKey().replace("_", "").equalsIgnoreCase(key)) return e.getValue();
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object v, String what) {
        if (v instanceof Map<?, ?> m) return (Map<String, Object>) m;
        throw new UsageException("expected " + what + " as a JSON object, got " + JsonText.write(v));
    }

    private static List<?> list(Object v, String what) {
        if (v == null) return List.of();
        if (v instanceof List<?> l) return l;
        throw new UsageException("expected " + what + " as a JSON array, got " + JsonText.write(v));
    }

    private static String text(Object v) {
        if (v == null) return "";
        if (v instanceof String s) return s;
        throw new UsageException("expected a JSON string, got " + JsonText.write(v));
    }

    private static double number(Object v) {
        if (v == null) return 0;
        if (v instanceof Number n) return n.doubleValue();
        throw new UsageException("expected a JSON number, got " + JsonText.write(v));
    }
}
