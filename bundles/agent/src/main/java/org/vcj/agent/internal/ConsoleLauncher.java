package org.vcj.agent.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Starts a process with a terminal: runs the OCI runtime detached with {@code --console-socket}, receives
 * the pty master it sends, reads the pid file and watches the process (the agent is its subreaper).
 * Stateless; thread-safe.
 */
final class ConsoleLauncher {
    private static final long START_TIMEOUT_MS = 30_000;
    private static final AtomicLong SEQ = new AtomicLong();

    private ConsoleLauncher() {
    }

    /** {@code run --detach --console-socket}: the container's main process with a terminal. */
    static ProcessChannel run(OciRuntime rt, String cid, Path bundle, Path pidFile) throws IOException {
        Path socket = socketPath();
        return launch(rt, rt.runWithConsole(cid, bundle, pidFile, socket), socket, pidFile, "start container " + cid);
    }

    /** {@code exec --detach --console-socket}: an extra process with a terminal. */
    static ProcessChannel exec(OciRuntime rt, String cid, String execId, Path processJson, Path pidFile) throws IOException {
        Path socket = socketPath();
        return launch(rt, rt.execWithConsole(cid, processJson, pidFile, socket), socket, pidFile,
                "exec " + execId + " in container " + cid);
    }

    /** A short socket path (sun_path holds 107 bytes; bundle paths can be longer). */
    private static Path socketPath() {
        return Path.of(System.getProperty("java.io.tmpdir"),
                "vcj-console-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet() + ".sock");
    }

    /**
     * Runs {@code command} (which must name {@code socket} as its --console-socket) and returns the
     * started process's channel.
     *
     * @param what for messages, e.g. "start container c1"
     */
    private static ProcessChannel launch(OciRuntime rt, List<String> command, Path socket, Path pidFile, String what)
            throws IOException {
        ChildReaper.becomeSubreaper();
        int fd;
        CompletableFuture<OciRuntime.Result> run;
        try (UnixConsoleSocket listener = UnixConsoleSocket.listen(socket)) {
            run = CompletableFuture.supplyAsync(() -> {
                try {
                    return OciRuntime.exec(command, START_TIMEOUT_MS);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try {
                fd = listener.receiveFd(START_TIMEOUT_MS, () -> !run.isDone());
            } catch (IOException e) {
                OciRuntime.Result r = result(run, what);
                throw AgentErrors.internal(what + " failed: " + rt.name() + " exited " + r.code() + ": "
                        + r.stderr().trim() + " (" + e.getMessage() + ")", e);
            }
        }
        PtyMaster master = new PtyMaster(fd);
        OciRuntime.Result r = result(run, what);
        if (r.code() != 0) {
            master.close();
            throw AgentErrors.internal(what + " failed: " + rt.name() + " exited " + r.code() + ": " + r.stderr().trim(), null);
        }
        String pid = Files.exists(pidFile) ? Files.readString(pidFile).trim() : "";
        if (pid.isEmpty()) {
            master.close();
            throw AgentErrors.internal(what + ": " + rt.name() + " exited 0 but wrote no pid to " + pidFile, null);
        }
        return new ConsoleChannel(master, ChildReaper.watch(Integer.parseInt(pid), pidFile.getFileName().toString()));
    }

    private static OciRuntime.Result result(CompletableFuture<OciRuntime.Result> run, String what) {
        try {
            return run.get(START_TIMEOUT_MS + 5_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw AgentErrors.internal(what + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw AgentErrors.timeout(what + ": the OCI runtime did not finish within " + START_TIMEOUT_MS + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AgentErrors.state(what + " interrupted");
        }
    }
}
