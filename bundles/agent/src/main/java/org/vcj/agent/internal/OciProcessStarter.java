package org.vcj.agent.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.vcj.agent.protocol.Cmd;

/**
 * Starts a container's main process and its exec processes through the OCI runtime, and waits for the runtime to
 * report the pid. Thread-safe; calls for one container are serialised on the container.
 */
final class OciProcessStarter {
    private static final System.Logger LOG = System.getLogger("org.vcj.agent.containers");
    private static final long PID_WAIT_MS = 15_000;

    private final OciRuntime runtime;

    OciProcessStarter(OciRuntime runtime) {
        this.runtime = runtime;
    }

    /** Starts the container's main process in the foreground of the OCI runtime. */
    ManagedProcess start(Container c) throws IOException {
        String cid = c.id();
        synchronized (c) {
            ContainerStateGate.START.check(c);
            Path pidFile = c.bundle().resolve("main.pid");
            Cmd cmd = c.cmd();
            ManagedProcess p = new ManagedProcess(cid, c.terminal() ? ConsoleLauncher.run(runtime, cid, c.bundle(), pidFile)
                    : new PipedChannel(cid, runtime.startRun(cid, c.bundle(), pidFile)));
            c.main(p);
            ContainerStateGate.START.enter(c);
            p.pid(awaitPid(p, pidFile, "start container " + cid, () -> CommandResolver.check(c.rootfs(), cmd, cid)));
            LOG.log(System.Logger.Level.INFO, "container {0} started, pid {1}", cid, String.valueOf(p.pid()));
            return p;
        }
    }

    /** Runs an extra process in a running container. */
    ManagedProcess exec(Container c, String execId, Cmd cmd) throws IOException {
        String cid = c.id();
        if (execId.equals(cid)) {
            throw AgentErrors.invalid("exec id " + execId + " equals the container id: choose a distinct exec id");
        }
        synchronized (c) {
            ContainerStateGate.EXEC.check(c);
            if (c.execs().containsKey(execId)) {
                throw AgentErrors.exists("exec " + execId + " already exists in container " + cid);
            }
            Path spec = c.bundle().resolve("exec-" + execId + ".json");
            Files.writeString(spec, OciSpecWriter.process(cmd));
            Path pidFile = c.bundle().resolve("exec-" + execId + ".pid");
            ManagedProcess p = new ManagedProcess(execId, cmd.getTerminal() ? ConsoleLauncher.exec(runtime, cid, execId, spec, pidFile)
                    : new PipedChannel(execId, runtime.startExec(cid, spec, pidFile)));
            c.execs().put(execId, p);
            try {
                p.pid(awaitPid(p, pidFile, "exec " + execId + " in container " + cid, () -> CommandResolver.check(c.rootfs(), cmd, cid)));
            } catch (RuntimeException e) {
                c.execs().remove(execId, p);
                throw e;
            }
            return p;
        }
    }

    /**
     * Waits for the OCI runtime to write the process's pid. When the runtime exits without, {@code diagnose} says
     * whether the command is missing or not executable (a {@code CommandError}); any other failure is INTERNAL with
     * the runtime's own message.
     */
    private int awaitPid(ManagedProcess p, Path pidFile, String what, Supplier<CommandResolver.Finding> diagnose)
            throws IOException {
        long deadline = System.nanoTime() + PID_WAIT_MS * 1_000_000L;
        while (System.nanoTime() < deadline) {
            if (Files.exists(pidFile)) {
                String s = Files.readString(pidFile).trim();
                if (!s.isEmpty()) {
                    return Integer.parseInt(s);
                }
            }
            if (!p.alive() && !Files.exists(pidFile)) {
                String err = drain(p);
                CommandResolver.Finding f = diagnose.get();
                if (f != null) {
                    LOG.log(System.Logger.Level.INFO, "{0}: {1} ({2} said: {3})", what, f.detail(), runtime.name(), err.trim());
                    throw AgentErrors.command(f);
                }
                throw AgentErrors.internal(what + " failed: " + runtime.name() + " exited " + p.exitCode()
                        + ": " + err.trim(), null);
            }
            sleep(5);
        }
        p.destroyLauncher();
        throw AgentErrors.timeout(what + ": " + runtime.name() + " wrote no pid within " + PID_WAIT_MS + " ms");
    }

    private static String drain(ManagedProcess p) {
        try {
            StreamBuffer.Chunk ch = p.stderr().read(0, 1000);
            return new String(ch.data(), StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AgentErrors.state("interrupted");
        }
    }
}
