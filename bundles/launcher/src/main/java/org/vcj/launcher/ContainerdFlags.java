package org.vcj.launcher;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * containerd's shim flags ({@code -namespace NS -id ID -address ADDR -publish-binary BIN -bundle DIR [-debug] ACTION}),
 * parsed once, here, for the launcher's {@code start} and {@code delete} and for the shim bundle, which gets them as
 * {@link #asMap()} (the bundle has its own class loader, so plain strings cross). vcj adds {@code -socket PATH} for
 * the service it starts.
 *
 * @param action        {@code start}, {@code delete} or {@code serve}; null when none was given
 * @param namespace     the containerd namespace ({@code default} when not given)
 * @param id            the task id, empty when not given
 * @param address       containerd's ttrpc address, empty when not given
 * @param publishBinary the binary that publishes events to containerd, empty when not given
 * @param bundle        the task's bundle directory (the working directory when not given)
 * @param socket        the socket the service serves on ({@code serve} only), empty when not given
 */
record ContainerdFlags(String action, String namespace, String id, String address, String publishBinary, Path bundle,
                       String socket) {

    /** Thrown for flags containerd never gives (exit status 2). */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message);
        }
    }

    static ContainerdFlags parse(String[] args) throws Malformed {
        Map<String, String> f = new LinkedHashMap<>();
        String action = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-debug") || a.equals("--debug")) continue;
            if (a.startsWith("-")) {
                if (i + 1 >= args.length) throw new Malformed("flag " + a + " has no value");
                String name = a.replaceFirst("^-+", "");
                if (!KNOWN.contains(name)) throw new Malformed("unknown flag " + a + "; known: -" + String.join(", -", KNOWN));
                f.put(name, args[++i]);
            } else if (action == null) {
                action = a;
            } else {
                throw new Malformed("two actions given: " + action + " and " + a);
            }
        }
        return fromMap(action, f);
    }

    private static final java.util.List<String> KNOWN = java.util.List.of("namespace", "id", "address", "publish-binary", "bundle", "socket");

    /** The flags of {@link #asMap()}, read back (the shim bundle's side). */
    static ContainerdFlags fromMap(String action, Map<String, String> f) {
        return new ContainerdFlags(action, f.getOrDefault("namespace", "default"), f.getOrDefault("id", ""),
                f.getOrDefault("address", ""), f.getOrDefault("publish-binary", ""),
                Path.of(f.getOrDefault("bundle", System.getProperty("user.dir"))).toAbsolutePath(), f.getOrDefault("socket", ""));
    }

    /** The flags by containerd's names (namespace, id, address, publish-binary, bundle, socket). */
    Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("namespace", namespace);
        m.put("id", id);
        m.put("address", address);
        m.put("publish-binary", publishBinary);
        m.put("bundle", bundle.toString());
        m.put("socket", socket);
        return m;
    }

    /** The flags as a command line ({@code -name value} for each non-empty one), without the action. */
    java.util.List<String> asArgs() {
        java.util.List<String> out = new java.util.ArrayList<>();
        asMap().forEach((k, v) -> {
            if (!v.isEmpty()) {
                out.add("-" + k);
                out.add(v);
            }
        });
        return out;
    }

    ContainerdFlags withSocket(String s) {
        return new ContainerdFlags(action, namespace, id, address, publishBinary, bundle, s);
    }
}
