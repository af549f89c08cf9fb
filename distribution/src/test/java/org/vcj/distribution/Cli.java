package org.vcj.distribution;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the assembled {@code bin/vcj} as a user would: a fresh JVM per call, bounded in time. */
final class Cli {

    /** What one call printed and returned. */
    record Result(int code, String out, String err) { }

    private final Path root;
    private final String storage;
    private final java.util.Map<String, String> env = new java.util.HashMap<>();

    Cli(Path root, String storage) {
        this.root = root;
        this.storage = storage;
    }

    Result crashAt(String crashAt, String... verb) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("--root=" + root, "--storage=" + storage));
        args.addAll(List.of(verb));
        return exec(crashAt, args);
    }

    /** bin/vcj with exactly these arguments (no --root/--storage added). */
    Result plain(String... args) throws IOException, InterruptedException {
        return exec(null, List.of(args));
    }

    private Result exec(String crashAt, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Distribution.home().resolve("bin/vcj").toString()));
        cmd.addAll(args);
        String[] verb = args.toArray(String[]::new);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(env);
        if (crashAt != null) pb.environment().merge("VCJ_JAVA_OPTS", "-Dvcj.test.crashAt=" + crashAt, (mine, crash) -> mine + " " + crash);
        Process p = pb.start();
        // both pipes drained concurrently, so a chatty stderr cannot block the process; the wait is bounded
        java.util.concurrent.CompletableFuture<byte[]> out = drain(p.getInputStream());
        java.util.concurrent.CompletableFuture<byte[]> err = drain(p.getErrorStream());
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("vcj " + String.join(" ", verb) + " did not finish in 120 s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly(); // the test gave up: its call must not outlive it
            throw e;
        }
        try {
            return new Result(p.exitValue(), new String(out.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8),
                    new String(err.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8));
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("vcj " + String.join(" ", verb) + ": its output did not end: " + e, e);
        }
    }

    private static java.util.concurrent.CompletableFuture<byte[]> drain(java.io.InputStream in) {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** The same CLI with extra environment variables for every call. */
    Cli withEnv(java.util.Map<String, String> extra) {
        Cli c = new Cli(root, storage);
        c.env.putAll(env);
        c.env.putAll(extra);
        return c;
    }

    /**
     * Starts a call without waiting for it (to kill it at a chosen moment); stdin is /dev/null, stdout and stderr are
     * appended to {@code log}.
     */
    Process spawn(Path log, String... verb) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Distribution.home().resolve("bin/vcj").toString(), "--root=" + root, "--storage=" + storage));
        cmd.addAll(List.of(verb));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        return pb.start();
    }

    Result run(String... verb) throws IOException, InterruptedException {
        return crashAt(null, verb);
    }
}
