package org.vcj.shell.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed verb command line. Options are {@code --name=value}, {@code --name value}, {@code --flag},
 * or a declared one-letter alias ({@code -d}, {@code -e K=V}); options and positionals may be mixed.
 * {@code --} ends the options: what follows is the {@link #command()}. When a verb declares
 * {@code fixed} leading positionals, the first positional beyond them also starts the command
 * (so {@code run sh -c 'echo hi'} works without {@code --}). Not thread-safe; immutable once parsed.
 */
final class CommandLine {
    private final Map<String, List<String>> options = new LinkedHashMap<>();
    private final List<String> positionals = new ArrayList<>();
    private final List<String> command = new ArrayList<>();
    private boolean separator;

    private CommandLine() { }

    /**
     * @param fixed number of positionals before the command, or -1 when the verb takes no command
     * @throws UsageException for an unknown option or a missing value
     */
    static CommandLine parse(List<String> args, List<Option> spec, int fixed) {
        CommandLine cl = new CommandLine();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                cl.separator = true;
                cl.command.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (isOption(a)) {
                i = cl.option(args, i, spec);
            } else if (fixed >= 0 && cl.positionals.size() >= fixed) {
                cl.command.addAll(args.subList(i, args.size()));
                break;
            } else {
                cl.positionals.add(a);
            }
        }
        return cl;
    }

    private static boolean isOption(String a) {
        return a.startsWith("-") && a.length() > 1 && !a.matches("-[0-9]+");
    }

    /** Parses the option at {@code i}; returns the index of the last argument it consumed. */
    private int option(List<String> args, int i, List<Option> spec) {
        String a = args.get(i);
        String name;
        String value = null;
        if (a.startsWith("--")) {
            int eq = a.indexOf('=');
            name = eq < 0 ? a.substring(2) : a.substring(2, eq);
            value = eq < 0 ? null : a.substring(eq + 1);
        } else if (a.length() == 2) {
            name = byAlias(a.charAt(1), spec);
        } else {
            throw new UsageException("unknown option '" + a + "'");
        }
        Option opt = spec.stream().filter(o -> o.name().equals(name)).findFirst()
                .orElseThrow(() -> new UsageException("unknown option '" + a + "'"));
        if (!opt.takesValue()) {
            if (value != null) throw new UsageException("option --" + name + " takes no value");
            put(name, "true");
            return i;
        }
        if (value == null) {
            if (i + 1 >= args.size()) throw new UsageException("option --" + name + " needs a value");
            value = args.get(++i);
        }
        if (opt.kind() == Option.Kind.VALUE && options.containsKey(name)) {
            throw new UsageException("option --" + name + " given twice");
        }
        put(name, value);
        return i;
    }

    private static String byAlias(char c, List<Option> spec) {
        return spec.stream().filter(o -> o.alias() == c).map(Option::name).findFirst()
                .orElseThrow(() -> new UsageException("unknown option '-" + c + "'"));
    }

    private void put(String name, String value) {
        options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }

    boolean has(String name) { return options.containsKey(name); }

    /** The value of a single-valued option, or {@code def}. */
    String get(String name, String def) {
        List<String> v = options.get(name);
        return v == null ? def : v.get(v.size() - 1);
    }

    /** Every value of a repeated option, in order. */
    List<String> all(String name) { return List.copyOf(options.getOrDefault(name, List.of())); }

    /** A non-negative integer option, or {@code def}. */
    int intValue(String name, int def) {
        String v = get(name, null);
        if (v == null) return def;
        try {
            int n = Integer.parseInt(v);
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("option --" + name + " needs a non-negative integer, got '" + v + "'");
        }
    }

    List<String> positionals() { return List.copyOf(positionals); }

    /** What followed {@code --} (or the first positional beyond the fixed ones). */
    List<String> command() { return List.copyOf(command); }

    /** Whether {@code --} was given. */
    boolean hasSeparator() { return separator; }

    /** Requires exactly {@code n} positionals named {@code names} (for the message). */
    List<String> requirePositionals(String... names) {
        if (positionals.size() < names.length) throw new UsageException("missing " + names[positionals.size()]);
        if (positionals.size() > names.length) throw new UsageException("unexpected argument '" + positionals.get(names.length) + "'");
        return positionals();
    }
}
