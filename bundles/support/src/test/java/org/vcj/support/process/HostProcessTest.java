package org.vcj.support.process;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HostProcessTest {

    private Process child;

    @AfterEach
    void stop() {
        if (child != null) {
            child.descendants().forEach(ProcessHandle::destroyForcibly);
            child.destroyForcibly();
        }
    }

    private HostProcess start(String... cmd) throws Exception {
        child = new ProcessBuilder(cmd).start();
        return HostProcess.of(child.pid()).orElseThrow();
    }

    @Test
    void aRecycledPidIsNeverSignalled() throws Exception {
        HostProcess real = start("sleep", "30");
        HostProcess earlier = new HostProcess(real.pid(), real.startTime() - 1);   // what a record of an older process says
        assertFalse(earlier.alive());
        earlier.terminate();
        earlier.kill();
        earlier.killTree();
        assertFalse(child.waitFor(300, TimeUnit.MILLISECONDS), "the process that now has the pid was signalled");
        assertTrue(real.alive());
    }

    @Test
    void terminateSendsSigtermAndKillSigkill() throws Exception {
        HostProcess p = start("sleep", "30");
        p.terminate();
        assertTrue(child.waitFor(5, TimeUnit.SECONDS));
        assertTrue(child.exitValue() == 128 + 15, "exit " + child.exitValue());
        assertFalse(p.alive());
        HostProcess q = start("sh", "-c", "trap '' TERM; exec sleep 30");
        // only once sh has run the trap (and exec'd sleep, which keeps TERM ignored) does TERM meet an ignoring process
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!child.info().command().orElse("").endsWith("sleep") && System.nanoTime() < deadline) Thread.sleep(10);
        q.terminate();
        assertFalse(child.waitFor(300, TimeUnit.MILLISECONDS), "TERM is ignored by this one");
        q.kill();
        assertTrue(child.waitFor(5, TimeUnit.SECONDS));
        assertTrue(q.awaitExit(1000));
    }

    @Test
    void killTreeKillsTheDescendantsToo() throws Exception {
        HostProcess p = start("sh", "-c", "sleep 30 & sleep 30 & wait");
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (child.descendants().count() < 2 && System.nanoTime() < deadline) Thread.sleep(20);
        java.util.List<ProcessHandle> kids = child.descendants().toList();
        assertTrue(kids.size() >= 2, "children: " + kids);
        p.killTree();
        assertTrue(child.waitFor(5, TimeUnit.SECONDS));
        for (ProcessHandle k : kids) assertTrue(k.onExit().get(5, TimeUnit.SECONDS) != null && !k.isAlive());
    }
}
