package org.vcj.shim.internal;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.function.UnaryOperator;

/**
 * The sandbox settings of one task: the service's (the installation's {@code org.vcj} settings) or, when the task
 * was started with a runtime config file of its own (containerd's runtime option {@code ConfigPath}, kept by
 * {@code start} in the bundle's {@value #CONFIG_FILE}), that file's keys over them. One service thus serves tasks of
 * different runtime configs of the same root, each sandbox with its own hypervisor and factory.
 *
 * @param hypervisor the hypervisor plugin type of the task's sandbox (default qemu, as for vcj run: a VM unless a config names another)
 * @param factory    the VM factory the sandbox takes its VM from, or null
 * @param vcpus      vCPUs of the VM, 0 for the plugin's default
 * @param memory     MiB of the VM, 0 for the plugin's default
 */
record TaskSettings(String hypervisor, String factory, int vcpus, int memory) {
    /** In the bundle: the config file the task was started with (written by the launcher's start). */
    static final String CONFIG_FILE = "vcj-runtime-config";

    static TaskSettings of(UnaryOperator<String> config) {
        String hv = config.apply("hypervisor");
        String factory = config.apply("factory");
        return new TaskSettings(hv == null || hv.isBlank() ? "qemu" : hv.trim(),
                factory == null || factory.isBlank() ? null : factory.trim(),
                intValue("vcpus", config.apply("vcpus")), intValue("memory", config.apply("memory")));
    }

    /** These settings, overridden by the config file the task in {@code bundle} was started with, if any. */
    TaskSettings forBundle(Path bundle) {
        Path kept = bundle.resolve(CONFIG_FILE);
        try {
            String file = Files.isRegularFile(kept) ? Files.readString(kept, StandardCharsets.UTF_8).trim() : "";
            if (file.isEmpty()) return this;
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
                p.load(r);
            }
            return of(key -> p.getProperty(key) != null ? p.getProperty(key) : base(key));
        } catch (IOException e) {
            throw new TaskException(TaskException.INVALID_ARGUMENT, "cannot read the runtime config file named in " + kept
                    + ": " + e.getMessage() + "; fix ConfigPath in containerd's runtime options", e);
        }
    }

    private String base(String key) {
        return switch (key) {
            case "hypervisor" -> hypervisor;
            case "factory" -> factory;
            case "vcpus" -> vcpus == 0 ? null : Integer.toString(vcpus);
            case "memory" -> memory == 0 ? null : Integer.toString(memory);
            default -> null;
        };
    }

    private static int intValue(String key, String v) {
        try {
            return v == null || v.isBlank() ? 0 : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new TaskException(TaskException.INVALID_ARGUMENT, key + "='" + v + "' is not a whole number", e);
        }
    }
}
