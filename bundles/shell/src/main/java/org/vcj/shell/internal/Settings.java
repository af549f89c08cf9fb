package org.vcj.shell.internal;

import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.osgi.framework.BundleContext;

/**
 * Where verbs find their defaults: the Config Admin configuration {@code org.vcj} (seeded by the launcher from
 * {@code conf/org.vcj.cfg}; keys without the {@code vcj.} prefix, e.g. {@code hypervisor}, {@code vcpus}), then
 * the framework property of the same name with the prefix ({@code vcj.hypervisor}). The state root and its storage
 * ({@link #LAUNCHER_RESOLVED}) are always the framework properties: the launcher resolved them from the global
 * options over the settings.
 */
final class Settings {

    static final String PID = "org.vcj";
    /** Framework properties the launcher set from the global options ({@code --root}, {@code --storage}) or settings. */
    static final Set<String> LAUNCHER_RESOLVED = Set.of("vcj.root", "vcj.storage");

    private Settings() { }

    static UnaryOperator<String> of(Map<String, Object> config, BundleContext context) {
        return key -> {
            if (LAUNCHER_RESOLVED.contains(key)) return context.getProperty(key);
            Object v = config.get(key.startsWith("vcj.") ? key.substring(4) : key);
            return v != null ? v.toString() : context.getProperty(key);
        };
    }
}
