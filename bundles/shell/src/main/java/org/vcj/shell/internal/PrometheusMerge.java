package org.vcj.shell.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Several sandboxes' Prometheus text merged into one exposition: every sample gets a {@code sandbox_id} label (unless
 * it has one: the runtime's own metrics do), and
 * the samples of one metric family stay together under a single HELP and TYPE (as the text format requires), in the
 * order the families first appear.
 */
final class PrometheusMerge {

    private final Map<String, Family> families = new LinkedHashMap<>();

    private static final class Family {
        String help;
        String type;
        final List<String> samples = new ArrayList<>();
    }

    /** Adds one sandbox's metrics text. */
    void add(String sandboxId, String text) {
        String current = null;
        for (String line : text.split("\n")) {
            if (line.isBlank()) continue;
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                String[] p = line.split(" ", 4);
                if (p.length < 4) continue;
                current = p[2];
                Family f = families.computeIfAbsent(current, k -> new Family());
                if (line.startsWith("# HELP ")) {
                    if (f.help == null) f.help = p[3];
                } else if (f.type == null) {
                    f.type = p[3];
                }
            } else if (!line.startsWith("#")) {
                String name = sampleName(line);
                String family = current != null && name.startsWith(current) ? current : name;
                families.computeIfAbsent(family, k -> new Family()).samples.add(labelled(line, name, sandboxId));
            }
        }
    }

    /** Adds a sample of the monitor's own (no sandbox label). */
    void own(String name, String type, String help, String sample) {
        Family f = families.computeIfAbsent(name, k -> new Family());
        f.help = help;
        f.type = type;
        f.samples.add(sample);
    }

    String text() {
        StringBuilder sb = new StringBuilder();
        families.forEach((name, f) -> {
            if (f.samples.isEmpty()) return;
            if (f.help != null) sb.append("# HELP ").append(name).append(' ').append(f.help).append('\n');
            if (f.type != null) sb.append("# TYPE ").append(name).append(' ').append(f.type).append('\n');
            f.samples.forEach(s -> sb.append(s).append('\n'));
        });
        return sb.toString();
    }

    private static String sampleName(String line) {
        int end = 0;
        while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') end++;
        return line.substring(0, end);
    }

    private static String labelled(String line, String name, String sandboxId) {
        String label = "sandbox_id=\"" + sandboxId.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        String rest = line.substring(name.length());
        if (rest.startsWith("{sandbox_id=") || rest.contains(",sandbox_id=")) return line;
        if (rest.startsWith("{}")) return name + "{" + label + "}" + rest.substring(2);
        if (rest.startsWith("{")) return name + "{" + label + "," + rest.substring(1);
        return name + "{" + label + "}" + rest;
    }
}
