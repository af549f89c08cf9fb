package org.vcj.agent.internal;

import java.io.IOException;
import java.io.InputStream;

/**
 * A process with a terminal: the OCI runtime started it detached and handed over the pty master;
 * output and input go through the master, the exit is observed by {@link ChildReaper}.
 * A terminal has no separate end of input: closing stdin types the end-of-file character (Ctrl-D), which a
 * reader in canonical mode sees as end of input at the start of a line ({@code echo ls | vcj run -t -- sh}).
 */
final class ConsoleChannel implements ProcessChannel {
    private static final byte CTRL_D = 4;
    private final PtyMaster master;
    private final ChildReaper exit;

    ConsoleChannel(PtyMaster master, ChildReaper exit) {
        this.master = master;
        this.exit = exit;
    }

    @Override
    public InputStream stdout() {
        return master.input();
    }

    @Override
    public InputStream stderr() {
        return null;
    }

    @Override
    public boolean alive() {
        return exit.alive();
    }

    @Override
    public int exitValue() {
        return exit.status();
    }

    @Override
    public boolean waitFor(long millis) throws InterruptedException {
        return exit.await(millis);
    }

    @Override
    public void write(byte[] data) throws IOException {
        master.write(data);
    }

    @Override
    public void closeStdin() throws IOException {
        if (exit.alive()) {
            master.write(new byte[] {CTRL_D});
        }
    }

    @Override
    public void resize(int rows, int columns) throws IOException {
        master.resize(rows, columns);
    }

    @Override
    public void destroy() {
        ProcessHandle.of(exit.pid()).ifPresent(ProcessHandle::destroyForcibly);
    }
}
