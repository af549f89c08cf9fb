package org.vcj.shim.internal;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * What the shim was started with: containerd's flags and the vcj settings (Config Admin {@code org.vcj}, filled by
 * the launcher from {@code conf/org.vcj.cfg} and the runtime's config file).
 *
 * @param hypervisor the hypervisor plugin type of new sandboxes (default mock)
 * @param factory    the VM factory new sandboxes take their VM from, or null
 * @param vcpus      vCPUs of new VMs, 0 for the plugin's default
 * @param memory     MiB of new VMs, 0 for the plugin's default
 */
record ShimSettings(String namespace, String id, Path bundle, String address, String publishBinary, Path socket,
                    String hypervisor, String factory, int vcpus, int memory) {

    /** Parses containerd's flags ({@code -namespace NS -id ID ...}) after the action word. */
    static ShimSettings parse(String[] args, UnaryOperator<String> config) {
        Map<String, String> f = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-debug") || a.equals("--debug")) continue;
            if (a.startsWith("-") && i + 1 < args.length) f.put(a.replaceFirst("^-+", ""), args[++i]);
        }
        String bundle = f.getOrDefault("bundle", System.getProperty("user.dir"));
        String hv = config.apply("hypervisor");
        String factory = config.apply("factory");
        return new ShimSettings(f.getOrDefault("namespace", "default"), f.getOrDefault("id", ""), Path.of(bundle),
                f.get("address"), f.get("publish-binary"), f.containsKey("socket") ? Path.of(f.get("socket")) : null,
                hv == null || hv.isBlank() ? "mock" : hv.trim(), factory == null || factory.isBlank() ? null : factory.trim(),
                intValue(config.apply("vcpus")), intValue(config.apply("memory")));
    }

    private static int intValue(String v) {
        return v == null || v.isBlank() ? 0 : Integer.parseInt(v.trim());
    }
}
