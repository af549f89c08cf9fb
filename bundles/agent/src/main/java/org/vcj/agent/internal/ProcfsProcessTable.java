package org.vcj.agent.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code ps -ef} table of some processes, read from {@code /proc}: the same columns (UID PID PPID C STIME TTY
 * TIME CMD) whether the agent runs on the host (mock) or in a guest whose only {@code ps} is busybox's. User names
 * come from the container's {@code /etc/passwd}, then the agent's, else the number is printed. A process that
 * ends while the table is made is left out. Stateless; the clock tick is Linux's USER_HZ (100).
 */
final class ProcfsProcessTable {
    /** The header line, as procps prints it. */
    static final String HEADER = line("UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD");
    private static final long HZ = 100;
    private static final DateTimeFormatter TODAY = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);
    private static final DateTimeFormatter THIS_YEAR = DateTimeFormatter.ofPattern("MMMdd", Locale.ROOT);

    private final Path proc;
    private final List<Path> passwdFiles;

    /**
     * @param proc        the proc file system ({@code /proc})
     * @param passwdFiles passwd files to name users from, first match wins
     */
    ProcfsProcessTable(Path proc, List<Path> passwdFiles) {
        this.proc = proc;
        this.passwdFiles = passwdFiles;
    }

    /** The table of these pids (header first, sorted by pid), one line each, every line ending in a newline. */
    String render(List<Integer> pids, Instant now) throws IOException {
        long btime = bootTime();
        double uptime = Double.parseDouble(Files.readString(proc.resolve("uptime")).trim().split("\\s+")[0]);
        Map<Integer, String> users = new HashMap<>();
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        for (int pid : pids.stream().sorted().distinct().toList()) {
            Optional<String> l = line(pid, btime, uptime, now, users);
            l.ifPresent(s -> b.append(s).append('\n'));
        }
        return b.toString();
    }

    private Optional<String> line(int pid, long btime, double uptime, Instant now, Map<Integer, String> users) {
        Path dir = proc.resolve(Integer.toString(pid));
        try {
            String stat = Files.readString(dir.resolve("stat"));
            int close = stat.lastIndexOf(')');
            String comm = stat.substring(stat.indexOf('(') + 1, close);
            String[] f = stat.substring(close + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            long startTicks = Long.parseLong(f[19]);
            double running = uptime - (double) startTicks / HZ;
            long c = running <= 0 ? 0 : Math.min(99, (long) (ticks * 100.0 / HZ / running));
            int uid = effectiveUid(Files.readAllLines(dir.resolve("status"), StandardCharsets.UTF_8));
            String user = users.computeIfAbsent(uid, this::userName);
            return Optional.of(line(user, Integer.toString(pid), f[1], Long.toString(Math.max(0, c)),
                    startTime(btime + startTicks / HZ, now), tty(Integer.parseInt(f[4])), cpuTime(ticks / HZ),
                    command(Files.readAllBytes(dir.resolve("cmdline")), comm)));
        } catch (IOException | RuntimeException gone) {
            return Optional.empty();
        }
    }

    private static String line(String uid, String pid, String ppid, String c, String stime, String tty, String time, String cmd) {
        return String.format(Locale.ROOT, "%-8s %5s %5s %2s %-5s %-8s %8s %s", uid, pid, ppid, c, stime, tty, time, cmd);
    }

    private long bootTime() throws IOException {
        for (String l : Files.readAllLines(proc.resolve("stat"))) {
            if (l.startsWith("btime ")) return Long.parseLong(l.substring(6).trim());
        }
        throw new IOException(proc.resolve("stat") + " has no btime line");
    }

    private static int effectiveUid(List<String> status) {
        for (String l : status) {
            if (l.startsWith("Uid:")) return Integer.parseInt(l.substring(4).trim().split("\\s+")[1]);
        }
        return 0;
    }

    /** The user's name from the first passwd file that has the uid, when it fits the column; else the number. */
    String userName(int uid) {
        for (Path passwd : passwdFiles) {
            try {
                for (String l : Files.readAllLines(passwd, StandardCharsets.UTF_8)) {
                    String[] p = l.split(":", -1);
                    if (p.length > 2 && p[2].equals(Integer.toString(uid))) {
                        return p[0].length() <= 8 ? p[0] : Integer.toString(uid);
                    }
                }
            } catch (IOException | RuntimeException absent) {
                // next file
            }
        }
        return Integer.toString(uid);
    }

    /** HH:MM when started today, MonDD this year, else the year (procps' STIME). */
    static String startTime(long epochSecond, Instant now) {
        ZoneId zone = ZoneId.systemDefault();
        LocalDateTime start = LocalDateTime.ofInstant(Instant.ofEpochSecond(epochSecond), zone);
        LocalDateTime today = LocalDateTime.ofInstant(now, zone);
        if (start.toLocalDate().equals(today.toLocalDate())) return TODAY.format(start);
        if (start.getYear() == today.getYear()) return THIS_YEAR.format(start);
        return Integer.toString(start.getYear());
    }

    /** The controlling terminal of a tty_nr ({@code ?} for none). */
    static String tty(int ttyNr) {
        if (ttyNr == 0) return "?";
        int major = (ttyNr >> 8) & 0xfff;
        int minor = (ttyNr & 0xff) | ((ttyNr >> 12) & 0xfff00);
        if (major >= 136 && major <= 143) return "pts/" + ((major - 136) * 256 + minor);
        if (major == 4) return minor < 64 ? "tty" + minor : "ttyS" + (minor - 64);
        return "?";
    }

    /** Cumulative CPU time as [DD-]HH:MM:SS. */
    static String cpuTime(long seconds) {
        long d = seconds / 86400, h = seconds / 3600 % 24, m = seconds / 60 % 60, s = seconds % 60;
        String hms = String.format(Locale.ROOT, "%02d:%02d:%02d", h, m, s);
        return d > 0 ? d + "-" + hms : hms;
    }

    /** The command line, arguments separated by spaces; {@code [comm]} for a process without one (a kernel thread, a zombie). */
    static String command(byte[] cmdline, String comm) {
        int n = cmdline.length;
        while (n > 0 && cmdline[n - 1] == 0) n--;
        if (n == 0) return "[" + comm + "]";
        List<String> args = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= n; i++) {
            if (i == n || cmdline[i] == 0) {
                args.add(new String(cmdline, from, i - from, StandardCharsets.UTF_8));
                from = i + 1;
            }
        }
        return String.join(" ", args);
    }
}
