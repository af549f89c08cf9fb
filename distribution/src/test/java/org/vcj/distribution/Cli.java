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

    Cli(Path root, String storage) {
        this.root = root;
        this.storage = storage;
    }

    Result crashAt(String crashAt, String... verb) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Distribution.home().resolve("bin/vcj").toString(),
                "--root=" + root, "--storage=" + storage));
        cmd.addAll(List.of(verb));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        if (crashAt != null) pb.environment().put("VCJ_JAVA_OPTS", "-Dvcj.test.crashAt=" + crashAt);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("vcj " + String.join(" ", verb) + " did not finish in 120 s");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    Result run(String... verb) throws IOException, InterruptedException {
        return crashAt(null, verb);
    }
}
