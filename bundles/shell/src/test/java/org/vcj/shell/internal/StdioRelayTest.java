package org.vcj.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vcj.api.AgentException;
import org.vcj.api.IOStream;

@Timeout(30)
class StdioRelayTest {
    private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    private final Thread.UncaughtExceptionHandler saved = Thread.getDefaultUncaughtExceptionHandler();

    StdioRelayTest() {
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.add(e));
    }

    @AfterEach
    void restore() {
        Thread.setDefaultUncaughtExceptionHandler(saved);
    }

    /** An output stream like a pipe whose reader went away after {@code okBytes}. */
    private static OutputStream closingAfter(int okBytes, ByteArrayOutputStream got) {
        return new OutputStream() {
            @Override public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }

            @Override public void write(byte[] b, int off, int len) throws IOException {
                if (got.size() >= okBytes) throw new IOException("Broken pipe");
                got.write(b, off, len);
            }
        };
    }

    @Test
    void aClosedOutputCallsBackOnceAndTheRestIsDrained() throws Exception {
        byte[] lots = new byte[1 << 20];
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        AtomicInteger callbacks = new AtomicInteger();
        StdioRelay r = StdioRelay.start(new IOStream(null, new ByteArrayInputStream(lots), new ByteArrayInputStream(new byte[0])),
                new Io(new ByteArrayInputStream(new byte[0]), new PrintStream(closingAfter(8192, got)), new PrintStream(new ByteArrayOutputStream()), true),
                "t", false, callbacks::incrementAndGet);
        assertTrue(r.awaitOutput(Duration.ofSeconds(10)), "the whole output was read even though nobody takes it");
        assertTrue(r.outputClosed());
        assertEquals(1, callbacks.get());
        assertEquals(8192, got.size());
        r.close();
        assertEquals(List.of(), uncaught);
    }

    @Test
    void inputArrivingAfterTheProcessIsGoneEndsTheStdinRelayQuietly() throws Exception {
        OutputStream goneStdin = new OutputStream() {
            @Override public void write(int b) { throw new AgentException("sb1", "WriteStdin", "NOT_FOUND", "exec e1 not found", null); }

            @Override public void write(byte[] b, int off, int len) { write(0); }

            @Override public void close() { throw new AgentException("sb1", "CloseStdin", "CANCELLED", "interrupted", null); }
        };
        PipedInputStream keyboard = new PipedInputStream();
        PipedOutputStream typing = new PipedOutputStream(keyboard);
        StdioRelay r = StdioRelay.start(new IOStream(goneStdin, new ByteArrayInputStream(new byte[0]), new ByteArrayInputStream(new byte[0])),
                new Io(keyboard, new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()), true), "t", true);
        typing.write("late input\n".getBytes());
        typing.close();
        Thread.sleep(300);
        r.close();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("t-stdin")) t.join(5000);
        }
        assertEquals(List.of(), uncaught, "no relay thread ends with an exception");
    }
}
