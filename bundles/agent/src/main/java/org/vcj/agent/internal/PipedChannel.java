package org.vcj.agent.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;

/** A process run by the OCI runtime in the foreground with piped stdio: the runtime's exit is the process's. */
final class PipedChannel implements ProcessChannel {
    private final String execId;
    private final Process launcher;

    PipedChannel(String execId, Process launcher) {
        this.execId = execId;
        this.launcher = launcher;
    }

    @Override
    public InputStream stdout() {
        return launcher.getInputStream();
    }

    @Override
    public InputStream stderr() {
        return launcher.getErrorStream();
    }

    @Override
    public boolean alive() {
        return launcher.isAlive();
    }

    @Override
    public int exitValue() {
        return launcher.exitValue();
    }

    @Override
    public boolean waitFor(long millis) throws InterruptedException {
        return launcher.waitFor(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void write(byte[] data) throws IOException {
        launcher.getOutputStream().write(data);
        launcher.getOutputStream().flush();
    }

    @Override
    public void closeStdin() throws IOException {
        launcher.getOutputStream().close();
    }

    @Override
    public void resize(int rows, int columns) {
        throw AgentErrors.state("process " + execId + " has no terminal (it was started with terminal=false): nothing to resize");
    }

    @Override
    public void destroy() {
        launcher.destroyForcibly();
    }
}
