package org.vcj.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcfsProcessTableTest {
    @TempDir
    Path tmp;

    @Test
    void theTableOfARealProcessHasPsEfColumns() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            int pid = (int) sleeper.pid();
            Path passwd = Files.writeString(tmp.resolve("passwd"), "somebody:x:" + uid() + ":0::/:/bin/sh\n");
            String table = new ProcfsProcessTable(Path.of("/proc"), List.of(passwd)).render(List.of(pid, 999_999_999), Instant.now());
            String[] lines = table.split("\n");
            assertEquals(2, lines.length, "the header and the one live process: " + table);
            assertEquals("UID        PID  PPID  C STIME TTY          TIME CMD", lines[0]);
            String[] f = lines[1].split("\\s+", 8);
            assertEquals("somebody", f[0], "the user is named from the given passwd file");
            assertEquals(Integer.toString(pid), f[1]);
            assertEquals(Long.toString(ProcessHandle.current().pid()), f[2], "PPID: this JVM started it");
            assertTrue(f[4].matches("\\d\\d:\\d\\d"), "started today: HH:MM, not " + f[4]);
            assertEquals("00:00:00", f[6]);
            assertEquals("sleep 30", f[7]);
        } finally {
            sleeper.destroyForcibly();
        }
    }

    private static String uid() throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("Uid:")) return l.substring(4).trim().split("\\s+")[1];
        }
        throw new IllegalStateException("no Uid line");
    }

    @Test
    void usersWithoutANameFittingTheColumnAreNumbers() throws Exception {
        Path passwd = Files.writeString(tmp.resolve("passwd"), "averyverylongname:x:1000:1000::/:/bin/sh\nroot:x:0:0::/:/bin/sh\n");
        ProcfsProcessTable t = new ProcfsProcessTable(Path.of("/proc"), List.of(tmp.resolve("absent"), passwd));
        assertEquals("root", t.userName(0));
        assertEquals("1000", t.userName(1000));
        assertEquals("4242", t.userName(4242));
    }

    @Test
    void columnsAreFormattedAsProcpsDoes() {
        assertEquals("?", ProcfsProcessTable.tty(0));
        assertEquals("pts/3", ProcfsProcessTable.tty((136 << 8) | 3));
        assertEquals("pts/260", ProcfsProcessTable.tty((137 << 8) | 4));
        assertEquals("ttyS0", ProcfsProcessTable.tty((4 << 8) | 64));
        assertEquals("00:01:05", ProcfsProcessTable.cpuTime(65));
        assertEquals("2-03:00:00", ProcfsProcessTable.cpuTime(2 * 86400 + 3 * 3600));
        assertEquals("sleep 600", ProcfsProcessTable.command(("sleep" + (char) 0 + "600" + (char) 0).getBytes(StandardCharsets.UTF_8), "sleep"));
        assertEquals("[kthreadd]", ProcfsProcessTable.command(new byte[0], "kthreadd"));
        Instant now = Instant.parse("2026-11-30T12:00:00Z");
        assertEquals("2025", ProcfsProcessTable.startTime(Instant.parse("2025-06-01T12:00:00Z").getEpochSecond(), now));
    }

    @Test
    void psOutputIsFilteredOnItsPidColumn() {
        String ps = "  PID USER     COMMAND\n    1 root     init\n   12 root     sleep 5\n  120 root     other\n";
        assertEquals("  PID USER     COMMAND\n   12 root     sleep 5\n", ProcessLister.keepPids(ps, List.of(12), "-o x", "c1"));
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> ProcessLister.keepPids("USER COMMAND\nroot init\n", List.of(1), "-o user,comm", "c1"));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals("ps -o user,comm prints no PID column, so the processes of container c1 cannot be picked out: "
                + "include the pid in the output (e.g. -o pid,args)", e.getStatus().getDescription());
        assertEquals(List.of(8600, 8601), ProcessLister.pids("[\n  8600,\n  8601\n]\n", "c1"));
    }
}
