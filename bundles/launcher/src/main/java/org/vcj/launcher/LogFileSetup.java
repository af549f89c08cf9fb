package org.vcj.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Keeps diagnostics off the user's terminal: every {@code java.util.logging} / {@code System.Logger} record (the
 * bundles', gRPC's, the framework's through {@link FelixLogBridge}) goes to {@code <root>/log/vcj.log}
 * (size-bounded, see {@link FileLogHandler}) instead of the console, and an exception no thread caught is logged
 * there with its stack trace while stderr gets one line naming the file. Records below INFO are dropped, except
 * those of the loggers the system property {@value #DEBUG_PROPERTY} names (comma-separated, e.g.
 * {@code -Dvcj.log.debug=org.vcj.timing} for the sandbox phase times that {@code scripts/bench-factory.sh} reads).
 */
final class LogFileSetup {
    /** Framework property holding the log file's path, for messages that point to it. */
    static final String PROPERTY = "vcj.log.file";
    /** Size past which the log file is rotated to {@code vcj.log.1}. */
    static final long LIMIT = 2L * 1024 * 1024;
    private static final Logger LOG = Logger.getLogger("org.vcj.launcher");
    /** System property naming loggers whose debug records are kept too. */
    static final String DEBUG_PROPERTY = "vcj.log.debug";
    /** The loggers set to debug (held here: the log manager keeps loggers only weakly, and with them their level). */
    private static final java.util.List<Logger> DEBUG = new java.util.concurrent.CopyOnWriteArrayList<>();

    private LogFileSetup() { }

    /**
     * Installs the log file of this state root.
     *
     * @param root the state root ({@code <root>/log} is created when missing)
     * @param err  where the one-line reports go
     * @return the log file, or {@code null} when it cannot be written: then only a one-line summary of each
     *         error-level record reaches {@code err}, without stack trace
     */
    static Path install(Path root, PrintStream err) {
        LogManager.getLogManager().reset();
        Logger top = Logger.getLogger("");
        top.setLevel(Level.INFO);
        for (String name : System.getProperty(DEBUG_PROPERTY, "").split(",")) {
            if (name.isBlank()) continue;
            Logger debug = Logger.getLogger(name.trim());
            debug.setLevel(Level.FINE);
            DEBUG.add(debug);
        }
        Path file = root.resolve("log").resolve("vcj.log");
        Handler handler;
        try {
            if (!Files.isDirectory(root)) {
                Files.createDirectories(root, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            }
            Files.createDirectories(file.getParent());
            handler = new FileLogHandler(file, LIMIT);
        } catch (IOException | RuntimeException e) {
            file = null;
            handler = oneLine(err);
        }
        top.addHandler(handler);
        Path where = file;
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            LOG.log(Level.SEVERE, "uncaught exception in thread " + t.getName(), e);
            err.println("vcj: internal error in thread '" + t.getName() + "': " + summary(e) + details(where));
            err.flush();
        });
        return file;
    }

    /** {@code "; details in FILE"}, or nothing without a file. */
    static String details(Path file) {
        return file == null ? "" : "; details in " + file;
    }

    /** The exception on one line: its message (or class name), newlines flattened. */
    static String summary(Throwable e) {
        String m = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getName() : e.getMessage();
        return m.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    private static Handler oneLine(PrintStream err) {
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (!isLoggable(r)) return;
                err.println("vcj: " + (r.getThrown() == null ? String.valueOf(r.getMessage()) : r.getMessage() + ": " + summary(r.getThrown())));
            }

            @Override public void flush() { err.flush(); }

            @Override public void close() { }
        };
        h.setLevel(Level.SEVERE);
        return h;
    }
}
