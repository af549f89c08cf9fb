package org.vcj.shell.internal;

import java.time.Duration;
import org.vcj.api.IOStream;
import org.vcj.api.VCSandbox;
import org.vcj.api.VcException;

/** Attaches the verb's streams to a process in a container, waits for its exit code, drains its output. */
final class ProcessAttach {
    /** How long output may still flow after the process has exited. */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);
    /** Exit status when the local stdout/stderr was closed under the process: 128 + SIGPIPE, as a shell reports it. */
    static final int BROKEN_PIPE = 128 + 13;
    private static final int SIGKILL = 9;
    private static final System.Logger LOG = System.getLogger(ProcessAttach.class.getName());

    private ProcessAttach() { }

    /**
     * Relays stdio until the process ends. When the local stdout or stderr is closed while the process still writes
     * (its reader went away, as {@code head} does), the process is killed, as SIGPIPE would end it on a plain pipe, and
     * the status is {@link #BROKEN_PIPE}; nothing is printed about it.
     *
     * @param relayStdin whether {@code io.in()} goes to the process (its stdin is closed at once otherwise)
     * @return the process's exit code (128+N when killed by signal N)
     */
    static int attach(VCSandbox sandbox, String containerId, String processId, Io io, boolean relayStdin)
            throws InterruptedException {
        return attach(sandbox, containerId, processId, io, relayStdin, null);
    }

    /**
     * Relays stdio until the process ends; for a process with a terminal, {@code hooks} non-null puts the
     * local terminal (when {@code io} is on one) in raw mode, forwards its size and restores it at the end.
     */
    static int attach(VCSandbox sandbox, String containerId, String processId, Io io, boolean relayStdin,
                      ShutdownHooks hooks) throws InterruptedException {
        IOStream stdio = sandbox.ioStream(containerId, processId);
        Runnable kill = () -> {
            try {
                sandbox.signalProcess(containerId, processId, SIGKILL, false);
            } catch (VcException e) {
                LOG.log(System.Logger.Level.DEBUG, "kill of " + processId + " after its output was closed: " + e.getMessage());
            }
        };
        SttyTerminal terminal = hooks == null ? null : SttyTerminal.enter(io, hooks);
        try (terminal; StdioRelay relay = StdioRelay.start(stdio, io, "vcj-" + processId, relayStdin, kill)) {
            if (terminal != null) {
                terminal.forwardSize((rows, cols) -> sandbox.winsizeProcess(containerId, processId, rows, cols));
            }
            int code = sandbox.waitProcess(containerId, processId);
            if (!relay.awaitOutput(DRAIN_TIMEOUT)) {
                io.err().println("vcj: process '" + processId + "' exited but its output was still open after "
                        + DRAIN_TIMEOUT.toSeconds() + " s; stopped relaying it");
            }
            return relay.outputClosed() ? BROKEN_PIPE : code;
        } finally {
            io.out().flush();
            io.err().flush();
        }
    }
}
