package org.vcj.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Real QEMU VMs (TCG here): containers run by crun inside the guest, driven by fresh CLI JVMs. Two VMs in all.
 */
@Tag("vm")
class QemuSandboxIT {

    private static final Path ROOT = Path.of(System.getProperty("java.io.tmpdir"), "vcj-qemu-" + ProcessHandle.current().pid());

    private final Cli cli = new Cli(ROOT, "fs");

    @Test
    void aContainerRunsUnderTheGuestKernelAndLeavesNothing() throws Exception {
        String guestKernel = Files.readAllLines(Distribution.home().resolve("guest/manifest")).stream()
                .filter(l -> l.startsWith("kernel linux-image-")).findFirst().orElseThrow().substring("kernel linux-image-".length());
        Cli.Result r = cli.run("run", "--hypervisor=qemu", "--id=q-uname", "--", "uname", "-r");
        assertEquals(0, r.code(), r.err());
        assertEquals(guestKernel + "\n", r.out());
        assertNotEquals(System.getProperty("os.version") + "\n", r.out(), "the guest kernel, not the host's");
        assertNothingLeft("q-uname");
    }

    @Test
    void aDetachedVmSandboxAnswersLaterCliCalls() throws Exception {
        assertEquals(0, cli.run("run", "--detach", "--hypervisor=qemu", "--id=q-long", "--", "sleep", "600").code());
        Path console = ROOT.resolve("sandboxes/q-long/vm/console.log");
        assertTrue(Files.readString(console).contains("oci runtime crun"), "the guest agent runs containers with crun");

        Cli.Result exec = cli.run("exec", "q-long", "--", "sh", "-c", "echo in $(hostname); exit 5");
        assertEquals(5, exec.code(), exec.err());
        assertEquals("in q-long\n", exec.out());
        Cli.Result ps = cli.run("ps", "q-long");
        assertEquals(0, ps.code(), ps.err());
        assertEquals("UID        PID  PPID  C STIME TTY          TIME CMD", ps.out().lines().findFirst().orElse(""),
                "the same columns as on the mock, though the guest's only ps is busybox's");
        assertTrue(ps.out().lines().anyMatch(l -> l.matches("root +\\d+ +\\d+ +\\d+ \\d\\d:\\d\\d \\? +\\d\\d:\\d\\d:\\d\\d sleep 600")),
                ps.out());
        Cli.Result missing = cli.run("exec", "q-long", "--", "nosuchcmd");
        assertEquals(127, missing.code(), missing.err());
        assertTrue(missing.err().startsWith("vcj: command 'nosuchcmd' not found in container q-long: "), missing.err());
        assertEquals(0, cli.run("pause", "q-long").code());
        assertTrue(cli.run("list").out().contains("paused"));
        assertEquals(0, cli.run("resume", "q-long").code());
        assertTrue(cli.run("stats", "q-long").out().contains("q-long"));
        assertEquals(0, cli.run("kill", "q-long", "KILL").code());
        assertEquals(0, cli.run("stop", "q-long").code());
        assertEquals(0, cli.run("delete", "q-long").code());
        assertNothingLeft("q-long");
    }

    private static void assertNothingLeft(String id) {
        Path dir = ROOT.resolve("sandboxes").resolve(id);
        assertFalse(Files.exists(dir), "no sandbox directory (sockets, console, shared dir)");
        assertEquals(List.of(), Distribution.processesMentioning(dir.toString()), "no QEMU or other process");
    }
}
