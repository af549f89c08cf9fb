package org.vcj.shell.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gogo.jline {@code complete} commands that teach an interactive shell the {@code vc:*} commands and
 * their options, made from the verbs themselves (names, summaries, options, and each option's line of the
 * usage text as its description), so completion never disagrees with the command line. Stateless.
 */
final class GogoCompletionScript {
    private static final Pattern OPTION_LINE = Pattern.compile("^\\s*(?:-\\w,\\s*)?--([\\w-]+)(?:=\\S+)?\\s+(.+)$");

    private GogoCompletionScript() { }

    /** One {@code complete} command per line: erase, describe, then one per option of each verb. */
    static List<String> lines(Map<String, Verb> verbs) {
        List<String> out = new ArrayList<>();
        for (Verb v : verbs.values()) {
            if (v.name().equals("help")) continue;
            String cmd = "vc:" + v.name();
            out.add("complete -c " + cmd + " -e");
            out.add("complete -c " + cmd + " -d " + quote(v.summary()));
            for (Option o : v.options()) {
                StringBuilder b = new StringBuilder("complete -c ").append(cmd);
                if (o.alias() != 0) b.append(" -s ").append(o.alias());
                b.append(" -l ").append(o.name());
                String d = description(v.usage(), o.name());
                if (!d.isEmpty()) b.append(" -d ").append(quote(d));
                out.add(b.toString());
            }
        }
        return out;
    }

    /** The text after {@code --name} on its usage line, or "". */
    static String description(String usage, String option) {
        for (String line : usage.split("\n")) {
            Matcher m = OPTION_LINE.matcher(line);
            if (m.matches() && m.group(1).equals(option)) return m.group(2).trim();
        }
        return "";
    }

    /** A Gogo single-quoted string (no escapes inside single quotes: a quote becomes a typographic one). */
    private static String quote(String s) {
        return "'" + s.replace('\'', '\u2019') + "'";
    }
}
