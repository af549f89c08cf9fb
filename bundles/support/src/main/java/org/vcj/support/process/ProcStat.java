package org.vcj.support.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The fields vcj reads from {@code /proc/PID/stat} (proc(5)): the one parser of that file. The command name (field 2)
 * may hold spaces and parentheses, so fields are counted from the last {@code ')'}.
 *
 * @param state     field 3: {@code R}, {@code S}, {@code Z} ...
 * @param utime     field 14: user CPU time, clock ticks
 * @param stime     field 15: system CPU time, clock ticks
 * @param startTime field 22: start time, clock ticks since boot
 */
public record ProcStat(String state, long utime, long stime, long startTime) {

    /** The process's fields now, or empty when it does not exist (or the file cannot be read). */
    public static Optional<ProcStat> of(long pid) {
        try {
            return Optional.of(parse(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The fields of one {@code stat} line.
     *
     * @throws IllegalArgumentException when the line is not a stat line
     */
    public static ProcStat parse(String line) {
        int close = line.lastIndexOf(')');
        String[] f = close < 0 || close + 2 > line.length() ? new String[0] : line.substring(close + 2).trim().split(" ");
        if (f.length < 20) throw new IllegalArgumentException("not a /proc/PID/stat line: " + line);
        return new ProcStat(f[0], Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[19]));
    }

    /** Whether the process has ended and waits for its parent to reap it. */
    public boolean zombie() {
        return state.equals("Z");
    }
}
