package org.vcj.launcher;

import org.vcj.support.text.OneLine;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The installation's defaults, {@code conf/org.vcj.cfg} (properties), validated before anything starts and then
 * given to Config Admin as the configuration {@code org.vcj}. A bad key or value fails with the file, the key
 * and the value. The keys a plugin owns (the QEMU plugin's {@code qemu.*}, {@code kernel} and {@code image}) are
 * also given to that plugin's configuration ({@link #pluginConfigurations}); the plugin checks their values when it
 * is activated, so each rule has one owner.
 */
final class VcjSettings {

    static final String PID = "org.vcj";
    static final String FILE = PID + ".cfg";

    private static final Predicate<String> NAME = v -> v.matches("[A-Za-z0-9][A-Za-z0-9_.-]*");
    private static final Predicate<String> ABSOLUTE = v -> v.startsWith("/");
    private static final Map<String, Rule> RULES = Map.of(
            "hypervisor", new Rule(NAME, "a plugin type such as mock or qemu"),
            "storage", new Rule(NAME, "a plugin type such as fs or leveldb"),
            "factory", new Rule(NAME, "a VM factory plugin type"),
            "root", new Rule(ABSOLUTE, "an absolute directory"),
            "rootfs", new Rule(ABSOLUTE, "an absolute directory"),
            "vcpus", new Rule(v -> v.matches("[1-9][0-9]{0,2}") && Integer.parseInt(v) <= 240, "a whole number from 1 to 240"),
            "shim.idle.timeout", new Rule(v -> v.matches("[0-9]{1,5}"), "seconds (0 to 99999) the containerd shim service lives on without a task"),
            "memory", new Rule(v -> v.matches("[1-9][0-9]{1,6}") && Integer.parseInt(v) >= 64, "MiB, a whole number of at least 64"));

    private record Rule(Predicate<String> valid, String expected) { }

    /** The QEMU plugin's configuration pid, and the keys it owns: {@code qemu.*}, {@code kernel}, {@code image}. */
    static final String QEMU_PID = "org.vcj.hypervisor.qemu";
    private static final Predicate<String> QEMU_KEY = k -> k.startsWith("qemu.") || k.equals("kernel") || k.equals("image");

    /** The configurations of plugins that own some of these settings, by pid (only those with a key set). */
    static Map<String, Map<String, String>> pluginConfigurations(Map<String, String> settings) {
        Map<String, String> qemu = new TreeMap<>();
        settings.forEach((k, v) -> {
            if (QEMU_KEY.test(k)) qemu.put(k, v);
        });
        return qemu.isEmpty() ? Map.of() : Map.of(QEMU_PID, qemu);
    }

    private VcjSettings() { }

    /** The settings of {@code conf/}, or none when there is no file. */
    static Map<String, String> load(Path conf) throws GlobalOptions.UsageError {
        return loadFile(conf.resolve(FILE));
    }

    /**
     * The installation's settings ({@code conf/org.vcj.cfg}), then those of {@code override} (a file with the same
     * keys, e.g. a containerd runtime's config file) over them; {@code override} null means none.
     */
    static Map<String, String> load(Path conf, String override) throws GlobalOptions.UsageError {
        Map<String, String> out = load(conf);
        if (override == null || override.isBlank()) return out;
        Path file = Path.of(override);
        if (!Files.isRegularFile(file)) throw new GlobalOptions.UsageError("the vcj config file " + file + " does not exist");
        out.putAll(loadFile(file));
        return out;
    }

    /** The settings of one file (properties with the keys of org.vcj.cfg), or none when there is no file. */
    static Map<String, String> loadFile(Path file) throws GlobalOptions.UsageError {
        Map<String, String> out = new TreeMap<>();
        if (!Files.isRegularFile(file)) return out;
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new GlobalOptions.UsageError("cannot read " + file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {   // Properties: a backslash-u not followed by four hex digits
            throw new GlobalOptions.UsageError(file + ": " + e.getMessage() + " (a backslash-u must be followed by four hex digits;"
                    + " write a backslash as \\\\)");
        }
        for (String key : p.stringPropertyNames()) {
            String value = p.getProperty(key).trim();
            if (QEMU_KEY.test(key)) {   // checked by the QEMU plugin at its activation
                out.put(key, value);
                continue;
            }
            Rule rule = RULES.get(key);
            if (rule == null) {
                throw new GlobalOptions.UsageError(file + ": unknown key '" + OneLine.of(key) + "'; known keys: " + new TreeMap<>(RULES).keySet());
            }
            if (!rule.valid().test(value)) {
                throw new GlobalOptions.UsageError(file + ": " + key + "='" + OneLine.of(value) + "' is not valid; expected " + rule.expected());
            }
            out.put(key, value);
        }
        return out;
    }
}
