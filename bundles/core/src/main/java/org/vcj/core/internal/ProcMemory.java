package org.vcj.core.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A host process's memory as /proc tells it: resident set and proportional set size, in bytes (0 when gone). */
final class ProcMemory {

    private ProcMemory() { }

    /** VmRSS of {@code /proc/PID/status}. */
    static long rssBytes(long pid) {
        return kiBField(Path.of("/proc", Long.toString(pid), "status"), "VmRSS:") * 1024;
    }

    /** Pss of {@code /proc/PID/smaps_rollup}: resident pages, each divided by the number of processes mapping it. */
    static long pssBytes(long pid) {
        return kiBField(Path.of("/proc", Long.toString(pid), "smaps_rollup"), "Pss:") * 1024;
    }

    private static long kiBField(Path file, String field) {
        try {
            for (String l : Files.readAllLines(file)) {
                if (l.startsWith(field)) return Long.parseLong(l.substring(field.length()).replace("kB", "").trim());
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
