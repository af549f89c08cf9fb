package org.vcj.agent.internal;

import io.grpc.Context;
import java.io.IOException;

/**
 * One container process the agent launched ({@code <rt> run} or {@code <rt> exec}): its input, agent-side
 * stdout/stderr buffers (stderr is empty for a terminal), the process id inside the guest and its exit code.
 * Thread-safe.
 */
public final class ManagedProcess {
    private final String execId;
    private final ProcessChannel channel;
    private final StreamBuffer stdout = new StreamBuffer();
    private final StreamBuffer stderr = new StreamBuffer();
    private final long startMillis = System.currentTimeMillis();
    private volatile int pid;
    private boolean stdinClosed;
    private volatile boolean waited;

    /** Wraps a started process and starts the output pumps. */
    ManagedProcess(String execId, ProcessChannel channel) {
        this.execId = execId;
        this.channel = channel;
        stdout.pumpFrom(channel.stdout(), "stdout-" + execId);
        if (channel.stderr() == null) {
            stderr.markEof();
        } else {
            stderr.pumpFrom(channel.stderr(), "stderr-" + execId);
        }
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

    /** True while the container process runs. */
    public boolean alive() {
        return channel.alive();
    }

    /** Exit code, or null while running. 128+signal when the process was killed by a signal. */
    public Integer exitCode() {
        return channel.alive() ? null : channel.exitValue();
    }

    /**
     * Waits for exit. {@code timeoutMillis} 0 just looks, negative waits until exit or until the
     * calling RPC is cancelled. Returns the exit code or null when still running.
     */
    public Integer await(long timeoutMillis) throws InterruptedException {
        if (timeoutMillis >= 0) {
            channel.waitFor(timeoutMillis);
            return exitCode();
        }
        Context ctx = Context.current();
        while (!channel.waitFor(500)) {
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
        channel.write(data);
        return data.length;
    }

    /** Closes stdin so the process reads EOF. Idempotent. */
    public synchronized void closeStdin() throws IOException {
        if (!stdinClosed) {
            stdinClosed = true;
            channel.closeStdin();
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

    /** Sets the window size of the process's terminal; fails (FAILED_PRECONDITION) when it has none. */
    public void resize(int rows, int columns) throws IOException {
        channel.resize(rows, columns);
    }

    /** Kills the launcher, or for a terminal process the process itself (last resort when the OCI runtime could not stop it). */
    public void destroyLauncher() {
        channel.destroy();
    }
}
