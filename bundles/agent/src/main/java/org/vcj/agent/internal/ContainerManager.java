package org.vcj.agent.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.vcj.agent.protocol.Cmd;
import org.vcj.agent.protocol.CreateContainerRequest;
import org.vcj.agent.protocol.CreateSandboxRequest;

/**
 * The sandbox and its containers inside the guest: writes OCI bundles and drives the OCI runtime.
 * Thread-safe; lifecycle calls for one container are serialised on the container.
 */
public final class ContainerManager {
    private static final System.Logger LOG = System.getLogger("org.vcj.agent.containers");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    private static final long PID_WAIT_MS = 15_000;

    private final OciRuntime runtime;
    private final Path bundles;
    private final Map<String, Container> containers = new ConcurrentHashMap<>();
    private final OomWatcher oom = new OomWatcher(this);
    private volatile String sandboxId;
    private volatile String hostname = "";
    private volatile String sharedDir = "";

    public ContainerManager(OciRuntime runtime, Path stateDir) {
        this.runtime = runtime;
        this.bundles = stateDir.resolve("bundles");
    }

    public OomWatcher oom() {
        return oom;
    }

    public OciRuntime runtime() {
        return runtime;
    }

    public String sandboxId() {
        return sandboxId;
    }

    public Collection<Container> all() {
        return containers.values();
    }

    /** Remembers the sandbox identity. */
    public synchronized void createSandbox(CreateSandboxRequest req) throws IOException {
        if (sandboxId != null) {
            throw AgentErrors.exists("sandbox " + sandboxId + " already exists in this agent: destroy it first");
        }
        checkId(req.getSandboxId(), "sandbox");
        Files.createDirectories(bundles);
        Files.createDirectories(runtime.root());
        sandboxId = req.getSandboxId();
        hostname = req.getHostname();
        sharedDir = req.getGuestSharedDir();
        LOG.log(System.Logger.Level.INFO, "sandbox {0} created (hostname {1}, shared dir {2})", sandboxId, hostname, sharedDir);
    }

    /** The guest shared directory of the current sandbox ("" when none). */
    public String sharedDir() {
        return sharedDir;
    }

    /** Kills and deletes every container and cleans the state dir. */
    public synchronized void destroySandbox() throws IOException {
        for (String cid : containers.keySet()) {
            remove(cid, 0);
        }
        deleteTree(bundles);
        java.util.List<Path> busy = CgroupFiles.removeSandbox(sandboxId);
        if (!busy.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "sandbox cgroups still busy, left in place: {0}", busy);
        }
        LOG.log(System.Logger.Level.INFO, "sandbox {0} destroyed", sandboxId);
        sandboxId = null;
        sharedDir = "";
    }

    /** Looks a container up or fails with NOT_FOUND. */
    public Container get(String cid) {
        Container c = containers.get(cid);
        if (c == null) {
            throw AgentErrors.notFound("container " + cid + " not found in sandbox " + sandboxId);
        }
        return c;
    }

    /** Writes the OCI bundle of a new container. */
    public void create(CreateContainerRequest req) throws IOException {
        String sid = sandboxId;
        if (sid == null) {
            throw AgentErrors.state("no sandbox: call CreateSandbox before CreateContainer " + req.getContainerId());
        }
        String cid = req.getContainerId();
        checkId(cid, "container");
        if (!Files.isDirectory(Path.of(req.getRootfs()))) {
            throw AgentErrors.invalid("rootfs " + req.getRootfs() + " of container " + cid + " is not a directory in the guest");
        }
        String json = OciSpecWriter.config(GuestDisks.resolved(req, GuestDisks.SYS_BLOCK), sid, hostname);
        Path dir = bundles.resolve(cid);
        Container c = new Container(cid, dir, Path.of(req.getRootfs()), req.getCmd());
        if (containers.putIfAbsent(cid, c) != null) {
            throw AgentErrors.exists("container " + cid + " already exists in sandbox " + sid);
        }
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("config.json"), json);
        } catch (IOException e) {
            containers.remove(cid);
            throw e;
        }
        LOG.log(System.Logger.Level.INFO, "container {0} created, bundle {1}", cid, dir);
    }

    /** Starts the container's main process in the foreground of the OCI runtime. */
    public ManagedProcess start(String cid) throws IOException {
        Container c = get(cid);
        synchronized (c) {
            if (c.state() != Container.State.CREATED) {
                throw AgentErrors.state("container " + cid + " is " + c.state() + ", StartContainer needs CREATED");
            }
            Path pidFile = c.bundle().resolve("main.pid");
            Cmd cmd = c.cmd();
            ManagedProcess p = new ManagedProcess(cid, c.terminal() ? ConsoleLauncher.run(runtime, cid, c.bundle(), pidFile)
                    : new PipedChannel(cid, runtime.startRun(cid, c.bundle(), pidFile)));
            c.main(p);
            c.state(Container.State.RUNNING);
            p.pid(awaitPid(p, pidFile, "start container " + cid, () -> CommandResolver.check(c.rootfs(), cmd, cid)));
            oom.started(c);
            LOG.log(System.Logger.Level.INFO, "container {0} started, pid {1}", cid, String.valueOf(p.pid()));
            return p;
        }
    }

    /** Runs an extra process in a running container. */
    public ManagedProcess exec(String cid, String execId, Cmd cmd) throws IOException {
        Container c = get(cid);
        checkId(execId, "exec");
        if (execId.equals(cid)) {
            throw AgentErrors.invalid("exec id " + execId + " equals the container id: choose a distinct exec id");
        }
        synchronized (c) {
            if (c.state() != Container.State.RUNNING) {
                throw AgentErrors.state("container " + cid + " is " + c.state() + ", ExecProcess needs RUNNING");
            }
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
    private int awaitPid(ManagedProcess p, Path pidFile, String what, java.util.function.Supplier<CommandResolver.Finding> diagnose)
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

    /** Signals the main process (via the OCI runtime) or an exec (by pid). */
    public void signal(String cid, String execId, int sig, boolean all) throws IOException {
        Container c = get(cid);
        ManagedProcess p = c.process(execId);
        if (!p.alive()) {
            throw AgentErrors.state("process " + p.execId() + " of container " + cid + " has already exited");
        }
        if (p == c.main()) {
            if (all) {
                runtime.check("kill", "--all", cid, Integer.toString(sig));
            } else {
                runtime.check("kill", cid, Integer.toString(sig));
            }
        } else if ((sig == 9 || sig == 15) && ProcessHandle.of(p.pid()).isPresent()) {
            ProcessHandle h = ProcessHandle.of(p.pid()).get();
            boolean sent = sig == 9 ? h.destroyForcibly() : h.destroy();
            if (!sent) {
                throw AgentErrors.internal("signal " + sig + " to pid " + p.pid() + " (exec " + execId + ") failed", null);
            }
        } else {
            OciRuntime.Result r = OciRuntime.exec(java.util.List.of("kill", "-" + sig, Integer.toString(p.pid())), 10_000);
            if (r.code() != 0) {
                throw AgentErrors.internal("kill -" + sig + " " + p.pid() + " (exec " + execId + ") failed: " + r.stderr().trim(), null);
            }
        }
    }

    /** Pauses or resumes a running container. */
    public void pause(String cid, boolean pause) throws IOException {
        Container c = get(cid);
        synchronized (c) {
            Container.State need = pause ? Container.State.RUNNING : Container.State.PAUSED;
            if (c.state() != need) {
                throw AgentErrors.state("container " + cid + " is " + c.state() + ", " + (pause ? "pause" : "resume") + " needs " + need);
            }
            runtime.check(pause ? "pause" : "resume", cid);
            c.state(pause ? Container.State.PAUSED : Container.State.RUNNING);
        }
    }

    /** Stops (SIGTERM, then SIGKILL after timeoutSec) and deletes a container and its bundle. */
    public void remove(String cid, int timeoutSec) throws IOException {
        Container c = get(cid);
        synchronized (c) {
            ManagedProcess m = c.main();
            if (m != null && m.alive() && timeoutSec > 0) {
                if (c.state() == Container.State.PAUSED) {
                    runtime.call("resume", cid);
                }
                runtime.call("kill", "--all", cid, "15");
                awaitQuietly(m, timeoutSec * 1000L);
            }
            OciRuntime.Result r = runtime.call("delete", "--force", cid);
            if (r.code() != 0 && !r.stderr().contains("does not exist") && !r.stderr().contains("not exist")) {
                throw AgentErrors.internal("delete container " + cid + " failed: " + r.stderr().trim(), null);
            }
            if (m != null && !awaitQuietly(m, 10_000)) {
                m.destroyLauncher();
            }
            for (ManagedProcess e : c.execs().values()) {
                if (!awaitQuietly(e, 2_000)) {
                    e.destroyLauncher();
                }
            }
            oom.removed(cid);
            deleteTree(c.bundle());
            containers.remove(cid);
            c.state(Container.State.STOPPED);
            LOG.log(System.Logger.Level.INFO, "container {0} removed", cid);
        }
    }

    private static boolean awaitQuietly(ManagedProcess p, long ms) {
        try {
            return p.await(ms) != null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void checkId(String id, String what) {
        if (id == null || !ID.matcher(id).matches()) {
            throw AgentErrors.invalid(what + " id '" + id + "' is invalid: use [A-Za-z0-9][A-Za-z0-9_.-]*, up to 128 chars");
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
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
