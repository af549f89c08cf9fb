package org.vcj.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Terminals from crun inside real VMs (two VMs): {@code vcj run -t --hypervisor=qemu -- sh} and
 * {@code vcj exec -t} into a detached VM sandbox, each typed into, resized and exited in tmux.
 * (One CLI at a time talks to a VM's agent, so the exec goes to a detached sandbox, not to the run's.)
 */
@Tag("vm")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class QemuTerminalIT {
    @AfterAll
    static void cleanUp() throws Exception {
        TerminalIT.cleanUp();
    }

    @Test
    void runWithTerminalInAVm() throws Exception {
        try (TmuxSession run = new TmuxSession(TerminalIT.vcj("run -t --hypervisor=qemu --id=tty-qrun -- sh"), 100, 30)) {
            TerminalIT.driveShell(run, 180);
        }
    }

    @Test
    void execWithTerminalInAVm() throws Exception {
        Cli cli = new Cli(TerminalIT.ROOT, "fs");
        assertEquals(0, cli.run("run", "--detach", "--hypervisor=qemu", "--id=tty-qexec", "--", "sleep", "600").code());
        try (TmuxSession exec = new TmuxSession(TerminalIT.vcj("exec -t tty-qexec -- sh"), 100, 30)) {
            TerminalIT.driveShell(exec, 60);
        } finally {
            cli.run("delete", "--force", "tty-qexec");
        }
    }
}
