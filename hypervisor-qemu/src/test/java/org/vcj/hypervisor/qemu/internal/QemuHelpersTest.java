package org.vcj.hypervisor.qemu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vcj.api.HypervisorException;
import org.vcj.support.process.HostProcess;

/** The real virtfs-proxy-helper (Debian's qemu-system-common) started, found again from its pid file, and ended. */
class QemuHelpersTest {

    @TempDir
    Path tmp;

    @Test
    void aHelperRecordsItsPidBeforeItRunsAndAnyLaterInstanceEndsIt() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(Qemu9pExports.PROXY_HELPER)) && "root".equals(System.getProperty("user.name")),
                "needs root and " + Qemu9pExports.PROXY_HELPER);
        QemuRunFiles files = new QemuRunFiles(Files.createDirectories(tmp.resolve("vm")));
        Path export = Files.createDirectories(tmp.resolve("export"));
        Qemu9pExports.startHelpers(new QemuHelpers("vm1", files), java.util.Map.of("fs0", export), "0:0");
        long pid = Long.parseLong(Files.readString(files.helperPid("9p-fs0")).trim());
        HostProcess helper = HostProcess.of(pid).orElseThrow();
        assertTrue(Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).startsWith(Qemu9pExports.PROXY_HELPER + "\0"),
                "the pid sh wrote is the helper's own (sh exec'd it)");
        assertEquals(List.of("9p-fs0"), new QemuHelpers("vm1", files).names());

        new QemuHelpers("vm1", files).stopAll();   // e.g. the cleanup of a crashed runtime: nothing but the files
        assertTrue(helper.awaitExit(5_000), "the helper is gone");
        assertFalse(Files.exists(files.helperPid("9p-fs0")), "its pid file too");
        assertEquals(List.of(), new QemuHelpers("vm1", files).names());
    }

    @Test
    void aPidFileThatNamesAnotherProcessLeavesItAlone() throws Exception {
        QemuRunFiles files = new QemuRunFiles(Files.createDirectories(tmp.resolve("vm")));
        Files.writeString(files.helperPid("nbd-vd1"), ProcessHandle.current().pid() + "\n");   // a reused pid: this JVM
        new QemuHelpers("vm1", files).stopAll();
        assertFalse(Files.exists(files.helperPid("nbd-vd1")));
    }

    @Test
    void aHelperThatExitsAtOnceIsReportedWithItsLog() throws Exception {
        QemuRunFiles files = new QemuRunFiles(Files.createDirectories(tmp.resolve("vm")));
        QemuHelpers helpers = new QemuHelpers("vm1", files);
        HypervisorException e = assertThrows(HypervisorException.class, () -> helpers.start("nbd-vd1", helpers.socket("nbd-vd1"),
                List.of("sh", "-c", "echo cannot open the disk >&2; exit 3", helpers.socket("nbd-vd1").toString())));
        assertTrue(e.getMessage().contains("cannot open the disk"), e.getMessage());
        assertEquals(List.of(), helpers.names(), "nothing is left of it");
    }
}
