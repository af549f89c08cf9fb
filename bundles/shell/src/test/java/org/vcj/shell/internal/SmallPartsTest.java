package org.vcj.shell.internal;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class SmallPartsTest {
    @Test
    void signalNamesAndNumbers() {
        assertEquals(9, SignalNames.parse("KILL"));
        assertEquals(9, SignalNames.parse("SIGKILL"));
        assertEquals(9, SignalNames.parse("sigkill"));
        assertEquals(9, SignalNames.parse("9"));
        assertEquals(9, SignalNames.parse("-9"));
        assertEquals(15, SignalNames.parse("TERM"));
        assertEquals(1, SignalNames.parse("HUP"));
        assertEquals(64, SignalNames.parse("64"));
        assertThrows(UsageException.class, () -> SignalNames.parse("0"));
        assertThrows(UsageException.class, () -> SignalNames.parse("65"));
        assertThrows(UsageException.class, () -> SignalNames.parse("BOGUS"));
    }

    @Test
    void tablesAlignColumnsWithoutTrailingBlanks() {
        String t = new Tables("ID", "STATE", "X").row("a-long-id", "running", 1).row("b", null, "").render();
        assertEquals("ID         STATE    X\n"
                + "a-long-id  running  1\n"
                + "b          -\n", t);
    }

    @Test
    void formats() {
        assertEquals("512 B", Formats.bytes(512));
        assertEquals("1.5 KiB", Formats.bytes(1536));
        assertEquals("256.0 MiB", Formats.bytes(256L << 20));
        assertEquals("1.235s", Formats.cpuSeconds(1_234_567_890L));
        assertEquals("3", Formats.withLimit("3", 0, "0"));
        assertEquals("3 / 100", Formats.withLimit("3", 100, "100"));
    }
}
