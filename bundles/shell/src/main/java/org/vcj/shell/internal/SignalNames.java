package org.vcj.shell.internal;

import java.util.Locale;
import java.util.Map;

/** Linux signal names and numbers: {@code KILL}, {@code SIGKILL}, {@code kill}, {@code 9} and {@code -9} all mean 9. */
final class SignalNames {
    private static final Map<String, Integer> SIGNALS = Map.ofEntries(
            Map.entry("HUP", 1), Map.entry("INT", 2), Map.entry("QUIT", 3), Map.entry("ILL", 4),
            Map.entry("TRAP", 5), Map.entry("ABRT", 6), Map.entry("IOT", 6), Map.entry("BUS", 7),
            Map.entry("FPE", 8), Map.entry("KILL", 9), Map.entry("USR1", 10), Map.entry("SEGV", 11),
            Map.entry("USR2", 12), Map.entry("PIPE", 13), Map.entry("ALRM", 14), Map.entry("TERM", 15),
            Map.entry("STKFLT", 16), Map.entry("CHLD", 17), Map.entry("CONT", 18), Map.entry("STOP", 19),
            Map.entry("TSTP", 20), Map.entry("TTIN", 21), Map.entry("TTOU", 22), Map.entry("URG", 23),
            Map.entry("XCPU", 24), Map.entry("XFSZ", 25), Map.entry("VTALRM", 26), Map.entry("PROF", 27),
            Map.entry("WINCH", 28), Map.entry("IO", 29), Map.entry("POLL", 29), Map.entry("PWR", 30),
            Map.entry("SYS", 31));

    /** Highest signal number Linux accepts (SIGRTMAX). */
    static final int MAX = 64;

    private SignalNames() { }

    /**
     * @return the signal number
     * @throws UsageException naming the value when it is neither a known name nor 1..64
     */
    static int parse(String s) {
        String v = s.startsWith("-") ? s.substring(1) : s;
        if (v.matches("[0-9]{1,3}")) {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= MAX) return n;
        } else {
            String name = v.toUpperCase(Locale.ROOT);
            if (name.startsWith("SIG")) name = name.substring(3);
            Integer n = SIGNALS.get(name);
            if (n != null) return n;
        }
        throw new UsageException("unknown signal '" + s + "': use a name like TERM, KILL, SIGHUP or a number 1-" + MAX);
    }
}
