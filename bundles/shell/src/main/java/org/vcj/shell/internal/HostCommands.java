package org.vcj.shell.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What {@code vcj check} asks the host: executables on {@code PATH} and the first line a command prints. */
final class HostCommands {

    private static final long TIMEOUT_MILLIS = 10_000;

    private HostCommands() { }

    /** The executable {@code name} (a path, or a bare name looked up on {@code PATH}), or null. */
    static Path find(String name) {
        if (name.contains("/")) {
            Path p = Path.of(name);
            return Files.isRegularFile(p) && Files.isExecutable(p) ? p : null;
        }
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "" : path).split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return p;
        }
        return null;
    }

    /**
     * The first line of what {@code command} prints (stdout and stderr), or null when it cannot start, fails or
     * takes more than 10 s.
     */
    static String firstLine(List<String> command) throws InterruptedException {
        Path out = null;
        Process p = null;
        try {
            out = Files.createTempFile("vcj-check", ".out");
            p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS) || p.exitValue() != 0) return null;
            return Files.readString(out, StandardCharsets.UTF_8).strip().lines().findFirst().orElse("");
        } catch (IOException e) {
            return null;
        } finally {
            if (p != null) p.destroyForcibly();
            deleteQuietly(out);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) return;
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a temp file left behind costs nothing worth failing a check for
        }
    }

    /** The file's text, or null when it cannot be read. */
    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
