package org.vcj.agent.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Drives an OCI runtime command line (crun or runc: same verbs) with a private {@code --root}.
 * Thread-safe (stateless apart from its settings).
 */
public final class OciRuntime {
    private static final System.Logger LOG = System.getLogger("org.vcj.agent.oci");
    private static final long CMD_TIMEOUT_MS = 30_000;

    private final String name;
    private final Path root;
    private final boolean noPivot;

    /** @param name "crun" or "runc" (looked up on PATH) */
    public OciRuntime(String name, Path root, boolean noPivot) {
        this.name = name;
        this.root = root;
        this.noPivot = noPivot;
    }

    /** Picks crun on a pure cgroup2 host, runc otherwise. */
    public static String detect() {
        Path cg = Path.of("/sys/fs/cgroup");
        boolean v2 = Files.exists(cg.resolve("cgroup.controllers")) && !Files.isDirectory(cg.resolve("memory"));
        return v2 ? "crun" : "runc";
    }

    public String name() {
        return name;
    }

    public Path root() {
        return root;
    }

    /** Output of a finished command. */
    public record Result(int code, byte[] stdout, String stderr) {
        public String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    /** Starts {@code run} in the foreground with piped stdio; the container pid goes to {@code pidFile}. */
    public Process startRun(String cid, Path bundle, Path pidFile) throws IOException {
        List<String> cmd = base("run", "--bundle", bundle.toString(), "--pid-file", pidFile.toString());
        if (noPivot) {
            cmd.add("--no-pivot");
        }
        cmd.add(cid);
        return launch(cmd);
    }

    /** Starts {@code exec --process file} in the foreground with piped stdio. */
    public Process startExec(String cid, Path processJson, Path pidFile) throws IOException {
        return launch(base("exec", "--process", processJson.toString(), "--pid-file", pidFile.toString(), cid));
    }

    /** The command line of {@code run --detach --console-socket}: the runtime exits once the container runs. */
    public List<String> runWithConsole(String cid, Path bundle, Path pidFile, Path consoleSocket) {
        List<String> cmd = base("run", "--detach", "--console-socket", consoleSocket.toString(),
                "--bundle", bundle.toString(), "--pid-file", pidFile.toString());
        if (noPivot) {
            cmd.add("--no-pivot");
        }
        cmd.add(cid);
        return cmd;
    }

    /** The command line of {@code exec --detach --console-socket --process file}. */
    public List<String> execWithConsole(String cid, Path processJson, Path pidFile, Path consoleSocket) {
        return base("exec", "--detach", "--console-socket", consoleSocket.toString(),
                "--process", processJson.toString(), "--pid-file", pidFile.toString(), cid);
    }

    private Process launch(List<String> cmd) throws IOException {
        LOG.log(System.Logger.Level.DEBUG, "launch {0}", cmd);
        return new ProcessBuilder(cmd).start();
    }

    /** Runs a verb to completion; throws IOException with the runtime's stderr on non-zero exit. */
    public Result check(String... args) throws IOException {
        Result r = call(args);
        if (r.code() != 0) {
            throw new IOException(name + " " + String.join(" ", args) + " exited " + r.code() + ": " + r.stderr().trim());
        }
        return r;
    }

    /** Runs a verb to completion and returns its result whatever the exit code. */
    public Result call(String... args) throws IOException {
        return exec(base(args), CMD_TIMEOUT_MS);
    }

    /** Runs any command to completion within {@code timeoutMs}. */
    public static Result exec(List<String> cmd, long timeoutMs) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread t = new Thread(() -> copy(p.getErrorStream(), err), "stderr-" + cmd.get(0));
        t.setDaemon(true);
        t.start();
        Thread o = new Thread(() -> copy(p.getInputStream(), out), "stdout-" + cmd.get(0));
        o.setDaemon(true);
        o.start();
        try {
            if (!p.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " did not finish within " + timeoutMs + " ms");
            }
            t.join(1000);
            o.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while running " + cmd, e);
        }
        return new Result(p.exitValue(), out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException ignored) {
            // stream closed
        }
    }

    private List<String> base(String... args) {
        List<String> cmd = new ArrayList<>(List.of(name, "--root", root.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
