package org.vcj.agent.internal;

import io.grpc.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;

/**
 * One container process the agent launched in the foreground ({@code <rt> run} or {@code <rt> exec}):
 * its stdin pipe, agent-side stdout/stderr buffers, the process id inside the guest and its exit code.
 * Thread-safe.
 */
public final class ManagedProcess {
    private final String execId;
    private final Process launcher;
    private final StreamBuffer stdout = new StreamBuffer();
    private final StreamBuffer stderr = new StreamBuffer();
    private final long startMillis = System.currentTimeMillis();
    private volatile int pid;
    private boolean stdinClosed;
    private volatile boolean waited;

    /** Wraps a started launcher process and starts the output pumps. */
    public ManagedProcess(String execId, Process launcher) {
        this.execId = execId;
        this.launcher = launcher;
        stdout.pumpFrom(launcher.getInputStream(), "stdout-" + execId);
        stderr.pumpFrom(launcher.getErrorStream(), "stderr-" + execId);
    }

    public String execId() {
        return execId;
    }

    public int pid() {
        return pid;
    }

    void pid(int p) {
        this.pid = p;
    }

    public long startMillis() {
        return startMillis;
    }

    public StreamBuffer stdout() {
        return stdout;
    }

    public StreamBuffer stderr() {
        return stderr;
    }

    /** True while the launcher (and so the container process) runs. */
    public boolean alive() {
        return launcher.isAlive();
    }

    /** Exit code, or null while running. 128+signal when the process was killed by a signal. */
    public Integer exitCode() {
        return launcher.isAlive() ? null : launcher.exitValue();
    }

    /**
     * Waits for exit. {@code timeoutMillis} 0 just looks, negative waits until exit or until the
     * calling RPC is cancelled. Returns the exit code or null when still running.
     */
    public Integer await(long timeoutMillis) throws InterruptedException {
        if (timeoutMillis >= 0) {
            launcher.waitFor(timeoutMillis, TimeUnit.MILLISECONDS);
            return exitCode();
        }
        Context ctx = Context.current();
        while (!launcher.waitFor(500, TimeUnit.MILLISECONDS)) {
            if (ctx.isCancelled()) {
                return null;
            }
        }
        return exitCode();
    }

    /** Writes to the process's stdin. */
    public synchronized int write(byte[] data) throws IOException {
        if (stdinClosed) {
            throw new IOException("stdin of process " + execId + " is closed");
        }
        OutputStream in = launcher.getOutputStream();
        in.write(data);
        in.flush();
        return data.length;
    }

    /** Closes stdin so the process reads EOF. Idempotent. */
    public synchronized void closeStdin() throws IOException {
        if (!stdinClosed) {
            stdinClosed = true;
            launcher.getOutputStream().close();
        }
    }

    /** Marks that a WaitProcess saw this process exit. */
    public void markWaited() {
        waited = true;
    }

    /** True once waited for and both output streams are drained: an exec can then be forgotten. */
    public boolean finished() {
        return waited && stdout.drained() && stderr.drained();
    }

    /** Kills the launcher itself (last resort when the OCI runtime could not stop the container). */
    public void destroyLauncher() {
        launcher.destroyForcibly();
    }
}
