package org.vcj.support.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProcStatTest {
    @Test
    void fieldsAreCountedFromTheLastParenthesisOfTheName() {
        String line = "4242 (qemu (x) 1) S 1 4242 4242 0 -1 4194560 100 0 0 0 17 23 0 0 20 0 3 0 987654 1000 10 18446744073709551615";
        ProcStat st = ProcStat.parse(line);
        assertEquals("S", st.state());
        assertEquals(17, st.utime());
        assertEquals(23, st.stime());
        assertEquals(987654, st.startTime());
        assertFalse(st.zombie());
        assertTrue(ProcStat.parse(line.replace(") S ", ") Z ")).zombie());
    }

    @Test
    void thisProcessHasAStatAndAnotherLineIsRefused() {
        ProcStat self = ProcStat.of(ProcessHandle.current().pid()).orElseThrow();
        assertTrue(self.startTime() > 0);
        assertEquals(self.startTime(), HostProcess.of(ProcessHandle.current().pid()).orElseThrow().startTime());
        assertThrows(IllegalArgumentException.class, () -> ProcStat.parse("not a stat line"));
    }
}
