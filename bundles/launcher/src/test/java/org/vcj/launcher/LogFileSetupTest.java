package org.vcj.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFileSetupTest {
    @TempDir
    Path tmp;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Thread.UncaughtExceptionHandler saved = Thread.getDefaultUncaughtExceptionHandler();

    @AfterEach
    void restore() {
        Thread.setDefaultUncaughtExceptionHandler(saved);
        java.util.logging.LogManager.getLogManager().reset();
    }

    @Test
    void logRecordsGoToTheFileNotTheConsole() throws Exception {
        Path file = LogFileSetup.install(tmp.resolve("root"), new PrintStream(err, true));
        assertEquals(tmp.resolve("root/log/vcj.log"), file);
        System.getLogger("org.vcj.test").log(System.Logger.Level.WARNING, "grpc said hello", new IllegalStateException("boom"));
        System.getLogger("org.vcj.test").log(System.Logger.Level.INFO, "{0} containers", 3);
        System.getLogger("org.vcj.test").log(System.Logger.Level.DEBUG, "not at the default level");
        String log = Files.readString(file);
        assertTrue(log.contains(" WARNING org.vcj.test: grpc said hello\njava.lang.IllegalStateException: boom\n\tat "), log);
        assertTrue(log.contains(" INFO org.vcj.test: 3 containers\n"), log);
        assertFalse(log.contains("not at the default level"), log);
        assertEquals("", err.toString(StandardCharsets.UTF_8), "nothing on the console");
    }

    @Test
    void theLoggersNamedInVcjLogDebugKeepTheirDebugRecords() throws Exception {
        System.setProperty(LogFileSetup.DEBUG_PROPERTY, "org.vcj.timing");
        try {
            Path file = LogFileSetup.install(tmp.resolve("root"), new PrintStream(err, true));
            System.getLogger("org.vcj.timing").log(System.Logger.Level.DEBUG, "phase s1 vm-start 12.0 ms");
            System.getLogger("org.vcj.other").log(System.Logger.Level.DEBUG, "dropped");
            String log = Files.readString(file);
            assertTrue(log.contains(" org.vcj.timing: phase s1 vm-start 12.0 ms\n"), log);
            assertFalse(log.contains("dropped"), log);
        } finally {
            System.clearProperty(LogFileSetup.DEBUG_PROPERTY);
        }
    }

    @Test
    void anUncaughtExceptionIsOneLineOnStderrAndItsTraceInTheFile() throws Exception {
        Path file = LogFileSetup.install(tmp.resolve("root"), new PrintStream(err, true));
        Thread t = new Thread(() -> {
            throw new IllegalStateException("relay broke\nsecond line");
        }, "vcj-relay");
        t.start();
        t.join(10_000);
        assertEquals("vcj: internal error in thread 'vcj-relay': relay broke second line; details in " + file + "\n",
                err.toString(StandardCharsets.UTF_8));
        String log = Files.readString(file);
        assertTrue(log.contains("SEVERE org.vcj.launcher: uncaught exception in thread vcj-relay\n"
                + "java.lang.IllegalStateException: relay broke\nsecond line\n\tat "), log);
    }

    @Test
    void withoutAWritableRootOnlyOneLineSummariesOfErrorsReachStderr() throws Exception {
        Path notADir = Files.writeString(tmp.resolve("file"), "x");
        assertNull(LogFileSetup.install(notADir, new PrintStream(err, true)));
        Logger.getLogger("org.vcj.test").log(Level.WARNING, "only a warning");
        Logger.getLogger("org.vcj.test").log(Level.SEVERE, "it failed", new IllegalStateException("why"));
        assertEquals("vcj: it failed: why\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theFileIsRotatedPastItsLimit() throws Exception {
        Path file = tmp.resolve("vcj.log");
        FileLogHandler h = new FileLogHandler(file, 300);
        for (int i = 0; i < 10; i++) h.publish(new LogRecord(Level.INFO, "record number " + i + " with some padding text"));
        h.close();
        Path old = tmp.resolve("vcj.log.1");
        assertTrue(Files.exists(old));
        assertTrue(Files.size(file) <= 300, Files.size(file) + " bytes");
        assertTrue(Files.size(old) <= 300, Files.size(old) + " bytes");
        assertTrue(Files.readString(file).contains("record number 9 "), Files.readString(file));
        assertFalse(Files.readString(file).contains("record number 0 "));
        // a new process finding a full file starts a new one
        Files.writeString(file, "x".repeat(400));
        new FileLogHandler(file, 300).close();
        assertEquals(0, Files.size(file));
        assertEquals(400, Files.size(old));
    }
}
