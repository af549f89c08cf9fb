package org.vcj.shell.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** Human-readable sizes, durations and times for verb output. */
final class Formats {
    private Formats() { }

    /** {@code 512 B}, {@code 1.5 KiB}, {@code 12.0 MiB} ... */
    static String bytes(long n) {
        if (n < 1024) return n + " B";
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** CPU time given in nanoseconds as seconds with millisecond precision: {@code 1.234s}. */
    static String cpuSeconds(long nanos) {
        return String.format(Locale.ROOT, "%.3fs", nanos / 1e9);
    }

    /** A usage and its limit: {@code 3 / 100}, or {@code 3} when the limit is 0 (unlimited). */
    static String withLimit(String usage, long limit, String limitText) {
        return limit <= 0 ? usage : usage + " / " + limitText;
    }

    /** An instant in UTC to the second, {@code -} when null. */
    static String time(Instant t) {
        return t == null ? "-" : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
