package org.vcj.shell.internal;

import java.util.List;
import java.util.Map;

/** {@code help [VERB]}: the verb list, or one verb's usage. */
final class HelpVerb implements Verb {
    private final Map<String, Verb> verbs;

    HelpVerb(Map<String, Verb> verbs) {
        this.verbs = verbs;
    }

    @Override public String name() { return "help"; }

    @Override public String summary() { return "show the verbs, or one verb's usage"; }

    @Override public String usage() { return "vcj help [VERB]\n  Prints the verb list, or the usage of VERB."; }

    @Override public List<Option> options() { return List.of(); }

    @Override
    public int execute(CommandLine cl, VerbContext ctx) {
        List<String> p = cl.positionals();
        if (p.size() > 1) throw new UsageException("unexpected argument '" + p.get(1) + "'");
        if (p.isEmpty()) {
            ctx.io().out().print(overview(verbs));
            return 0;
        }
        Verb v = verbs.get(p.get(0));
        if (v == null) throw new UsageException("unknown verb '" + p.get(0) + "'");
        ctx.io().out().println(v.usage());
        return 0;
    }

    /** The general usage: global options and one line per verb. */
    static String overview(Map<String, Verb> verbs) {
        StringBuilder sb = new StringBuilder("""
                usage: vcj [--root=DIR] [--storage=TYPE] VERB [ARGS...]
                  --root=DIR      state root (default /run/vcj)
                  --storage=TYPE  metadata storage plugin (fs, leveldb ...)
                verbs:
                """);
        int w = verbs.keySet().stream().mapToInt(String::length).max().orElse(0);
        verbs.values().forEach(v -> sb.append("  ").append(v.name()).append(" ".repeat(w - v.name().length() + 2))
                .append(v.summary()).append('\n'));
        sb.append("Run 'vcj help VERB' for a verb's options.\n");
        return sb.toString();
    }
}
