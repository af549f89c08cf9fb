package org.vcj.distribution;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code vcj run -t --hypervisor=qemu -- sh} in tmux: the terminal comes from crun inside a real VM (one VM). */
@Tag("vm")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class QemuTerminalIT {
    @Test
    void runWithTerminalInAVm() throws Exception {
        try (TmuxSession t = new TmuxSession(TerminalIT.vcj("run -t --hypervisor=qemu --id=tty-qemu -- sh"), 100, 30)) {
            TerminalIT.driveShell(t, 180);
        } finally {
            TerminalIT.cleanUp();
        }
    }
}
