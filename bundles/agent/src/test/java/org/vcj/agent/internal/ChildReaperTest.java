package org.vcj.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The wait status decoding, and a real orphan reaped through the subreaper. */
class ChildReaperTest {
    @Test
    void decodesExitCodesAndSignals() {
        assertEquals(0, ChildReaper.decode(0));
        assertEquals(3, ChildReaper.decode(3 << 8));
        assertEquals(137, ChildReaper.decode(9));
        assertEquals(143, ChildReaper.decode(15 | 0x80)); // core dump flag ignored
    }

    @Test
    void anOrphanedGrandchildIsReapedWithItsStatus() throws Exception {
        ChildReaper.becomeSubreaper();
        // sh starts a background grandchild, prints its pid and exits: the grandchild becomes our child
        Process sh = new ProcessBuilder("sh", "-c", "(sleep 0.5; exit 42) & echo $!").start();
        int pid = Integer.parseInt(new String(sh.getInputStream().readAllBytes()).trim());
        assertEquals(0, sh.waitFor());
        ChildReaper r = ChildReaper.watch(pid, "test");
        assertTrue(r.await(10_000), "the orphan's exit is observed");
        assertFalse(r.alive());
        assertEquals(42, r.status());
    }
}
