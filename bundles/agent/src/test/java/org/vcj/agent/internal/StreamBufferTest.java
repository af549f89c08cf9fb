package org.vcj.agent.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The 8 MiB bound of unread output, and the line that tells the reader what was dropped. */
class StreamBufferTest {

    @Test
    void outputPastTheBoundIsReplacedByAMarkerWhereItWas() throws Exception {
        StreamBuffer b = new StreamBuffer();
        byte[] first = "first line\n".getBytes(StandardCharsets.UTF_8);
        b.append(first, first.length);
        assertArrayEquals(first, b.read(0, 0).data(), "nothing dropped yet: no marker");

        byte[] chunk = new byte[8192];
        for (int i = 0; i < 9; i++) {
            java.util.Arrays.fill(chunk, (byte) ('0' + i));
            for (int k = 0; k < 128; k++) b.append(chunk, chunk.length);
        }
        b.markEof();
        assertEquals(1 << 20, b.dropped());

        StreamBuffer.Chunk marker = b.read(64 * 1024, 0);
        assertEquals("\n[vcj: 1048576 bytes of output dropped: more than 8 MiB was not read in time]\n",
                new String(marker.data(), StandardCharsets.UTF_8));
        assertFalse(marker.eof());
        assertFalse(b.drained());
        StreamBuffer.Chunk next = b.read(10, 0);
        assertEquals("1111111111", new String(next.data(), StandardCharsets.UTF_8), "the oldest megabyte ('0's) went");

        long rest = 10;
        StreamBuffer.Chunk c;
        do {
            c = b.read(0, 0);
            rest += c.data().length;
        } while (!c.eof());
        assertEquals(StreamBuffer.CAP, rest, "exactly the bound was kept");
        assertTrue(b.drained());
    }

    @Test
    void dropsWhileTheReaderReadsAreReportedEachTime() throws Exception {
        StreamBuffer b = new StreamBuffer();
        fill(b, StreamBuffer.CAP + 5);
        assertTrue(new String(b.read(0, 0).data(), StandardCharsets.UTF_8).contains("[vcj: 5 bytes of output dropped"));
        assertEquals(1 << 20, b.read(0, 0).data().length);
        fill(b, 7);
        assertEquals(StreamBuffer.CAP - (1 << 20) + 7, available(b), "no more drops, no more markers");
        fill(b, StreamBuffer.CAP + 3);
        assertTrue(new String(b.read(0, 0).data(), StandardCharsets.UTF_8).contains("[vcj: 3 bytes of output dropped"));
        assertEquals(5 + 3, b.dropped(), "the total is kept too");
    }

    /** Appends {@code n} bytes the way the pump does, 8 KiB at a time. */
    private static void fill(StreamBuffer b, int n) {
        byte[] chunk = new byte[8192];
        for (int left = n; left > 0; left -= chunk.length) b.append(chunk, Math.min(left, chunk.length));
    }

    /** Reads everything there is now (no wait) and returns its length; fails on a marker. */
    private static long available(StreamBuffer b) throws InterruptedException {
        long n = 0;
        for (StreamBuffer.Chunk c = b.read(0, 0); c.data().length > 0; c = b.read(0, 0)) {
            assertFalse(new String(c.data(), 0, Math.min(7, c.data().length), StandardCharsets.UTF_8).startsWith("\n[vcj"));
            n += c.data().length;
        }
        return n;
    }
}
