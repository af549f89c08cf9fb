package org.vcj.launcher;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/**
 * A {@code java.util.logging} handler writing to one file, size-bounded: when the file has grown past
 * {@code limit} bytes it is renamed to {@code <file>.1} (replacing the previous one) and a new file is begun, so
 * the log never takes more than about twice the limit. The file is opened in append mode and every record is
 * written with one {@code write}, so several vcj processes can share it. Thread-safe.
 */
final class FileLogHandler extends Handler {
    private final Path file;
    private final long limit;
    private final String pid = Long.toString(ProcessHandle.current().pid());
    private OutputStream out;
    private long size;

    /**
     * Opens (creating) the file, rotating it first when it is already past the limit.
     *
     * @throws IOException when the file cannot be created or opened
     */
    FileLogHandler(Path file, long limit) throws IOException {
        this.file = file;
        this.limit = limit;
        open(false);
    }

    private void open(boolean rotate) throws IOException {
        if (Files.isRegularFile(file) && (rotate || Files.size(file) >= limit)) {
            Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        }
        out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        size = Files.size(file);
    }

    /** The file written to. */
    Path file() {
        return file;
    }

    @Override
    public synchronized void publish(LogRecord r) {
        if (out == null || !isLoggable(r)) return;
        byte[] bytes = format(r).getBytes(StandardCharsets.UTF_8);
        try {
            if (size > 0 && size + bytes.length > limit) {
                out.close();
                open(true);
            }
            out.write(bytes);
            out.flush();
            size += bytes.length;
        } catch (IOException e) {
            reportError("cannot write the log file " + file, e, java.util.logging.ErrorManager.WRITE_FAILURE);
        }
    }

    /** {@code <instant> <pid> <LEVEL> <logger>: <message>}, then the stack trace of the thrown exception, if any. */
    String format(LogRecord r) {
        StringBuilder b = new StringBuilder(256).append(Instant.ofEpochMilli(r.getMillis())).append(' ').append(pid)
                .append(' ').append(r.getLevel().getName()).append(' ').append(r.getLoggerName()).append(": ")
                .append(message(r)).append('\n');
        if (r.getThrown() != null) {
            StringWriter trace = new StringWriter();
            r.getThrown().printStackTrace(new PrintWriter(trace));
            b.append(trace);
        }
        return b.toString();
    }

    private static String message(LogRecord r) {
        String m = r.getMessage();
        Object[] params = r.getParameters();
        if (m == null || params == null || params.length == 0 || !m.contains("{")) return String.valueOf(m);
        try {
            return java.text.MessageFormat.format(m, params);
        } catch (IllegalArgumentException e) {
            return m;
        }
    }

    @Override
    public synchronized void flush() {
        try {
            if (out != null) out.flush();
        } catch (IOException ignored) {
            // nothing better to do with a log that cannot be flushed
        }
    }

    @Override
    public synchronized void close() {
        try {
            if (out != null) out.close();
        } catch (IOException ignored) {
            // closing at exit
        } finally {
            out = null;
        }
    }
}
