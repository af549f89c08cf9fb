package org.vcj.distribution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A vcj command started the way a script starts a server: as a background job of a non-interactive bash, which
 * gives it SIGINT (and SIGQUIT) ignored. The job's pid is the vcj JVM's ({@code bin/vcj} execs); output goes to a log.
 */
final class ScriptJob {

    private final Process bash;
    final long pid;
    final Path log;

    private ScriptJob(Process bash, long pid, Path log) {
        this.bash = bash;
        this.pid = pid;
        this.log = log;
    }

    /** Starts {@code bin/vcj --root=ROOT --storage=fs VERB...} as {@code vcj ... & wait}; the log is {@code log}. */
    static ScriptJob start(Path root, Path log, String... verb) throws IOException, InterruptedException {
        List<String> words = new ArrayList<>(List.of(Distribution.home().resolve("bin/vcj").toString(), "--root=" + root, "--storage=fs"));
        words.addAll(List.of(verb));
        StringBuilder cmd = new StringBuilder();
        for (String w : words) cmd.append('\'').append(w.replace("'", "'\\''")).append("' ");
        Path pidFile = Files.createTempFile(log.getParent(), "job-", ".pid");
        String script = cmd + "</dev/null >>'" + log + "' 2>&1 & echo $! > '" + pidFile + "'; wait $!; echo \"exit $?\" >> '" + log + "'";
        Process bash = new ProcessBuilder("bash", "-c", script).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Files.size(pidFile) == 0 && System.nanoTime() < deadline) Thread.sleep(20);
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        Files.delete(pidFile);
        return new ScriptJob(bash, pid, log);
    }

    void signal(String name) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start().waitFor();
    }

    boolean alive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The job's exit status as bash saw it (128 + N for a signal N), or -1 when it did not end within {@code seconds}. */
    int awaitExit(int seconds) throws IOException, InterruptedException {
        if (!bash.waitFor(seconds, TimeUnit.SECONDS)) return -1;
        String text = Files.readString(log);
        int at = text.lastIndexOf("exit ");
        return Integer.parseInt(text.substring(at + 5).trim());
    }

    String output() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** SIGKILL to the job and its bash, if still there. */
    void kill() {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        bash.destroyForcibly();
    }
}
