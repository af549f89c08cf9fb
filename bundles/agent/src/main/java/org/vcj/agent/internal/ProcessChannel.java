package org.vcj.agent.internal;

import java.io.IOException;
import java.io.InputStream;

/**
 * How the agent talks to one container process: its output streams, its input, its exit, its window.
 * Two kinds: {@link PipedChannel} (the foreground OCI runtime's pipes) and {@link ConsoleChannel}
 * (a terminal). Implementations are thread-safe.
 */
interface ProcessChannel {
    /** The process's stdout (for a terminal: everything it prints). */
    InputStream stdout();

    /** The process's stderr, or null when it has none of its own (a terminal). */
    InputStream stderr();

    boolean alive();

    /** Exit code (128+signal when killed); only valid once {@link #alive()} is false. */
    int exitValue();

    /** Waits up to {@code millis} for the exit; true when exited. */
    boolean waitFor(long millis) throws InterruptedException;

    void write(byte[] data) throws IOException;

    void closeStdin() throws IOException;

    /** Sets the terminal's window size; fails with a StatusRuntimeException for a process without a terminal. */
    void resize(int rows, int columns) throws IOException;

    /** Kills the process (or the runtime process standing for it) with SIGKILL. */
    void destroy();
}
