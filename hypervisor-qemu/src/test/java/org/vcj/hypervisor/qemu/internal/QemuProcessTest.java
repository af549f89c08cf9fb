package org.vcj.hypervisor.qemu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vcj.api.HypervisorException;
import org.vcj.support.process.HostProcess;

/** How QEMU's process is started and ended, with a shell script in QEMU's place (the VM ITs start the real one). */
class QemuProcessTest {

    @TempDir Path run;

    @Test
    void startWaitsForThePidFileAndTheProcessHasASessionOfItsOwn() throws Exception {
        QemuRunFiles files = new QemuRunFiles(run);
        HostProcess p = QemuProcess.start("v1", List.of("sh", "-c", "echo $$ > " + files.pidFile() + "; exec sleep 30"), files,
                Duration.ofSeconds(10));
        try {
            assertTrue(p.alive());
            String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            assertEquals(Long.toString(p.pid()), f[3], "session id = its pid: setsid made it a session leader");
        } finally {
            QemuProcess.end("v1", p, 0);
        }
        assertFalse(p.alive());
    }

    @Test
    void aQemuThatExitsAtOnceFailsWithTheEndOfItsLog() {
        QemuRunFiles files = new QemuRunFiles(run);
        HypervisorException e = assertThrows(HypervisorException.class, () -> QemuProcess.start("v2",
                List.of("sh", "-c", "echo 'qemu: -sandbox on: bad option' >&2; exit 1"), files, Duration.ofSeconds(10)));
        assertTrue(e.getMessage().contains("QEMU did not start") && e.getMessage().contains("bad option"), e.getMessage());
    }
}
