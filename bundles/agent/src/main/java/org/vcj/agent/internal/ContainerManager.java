package org.vcj.agent.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.vcj.agent.protocol.Cmd;
import org.vcj.agent.protocol.CreateContainerRequest;
import org.vcj.agent.protocol.CreateSandboxRequest;
import org.vcj.support.fs.FileTrees;

/**
 * The sandbox and its containers inside the guest: writes OCI bundles and drives the OCI runtime.
 * Thread-safe; lifecycle calls for one container are serialised on the container.
 */
public final class ContainerManager {
    private static final System.Logger LOG = System.getLogger("org.vcj.agent.containers");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    private final OciRuntime runtime;
    private final OciProcessStarter starter;
    private final OciSignaller signaller;
    private final Path bundles;
    private final boolean guest;
    private final Map<String, Container> containers = new ConcurrentHashMap<>();
    private final OomWatcher oom = new OomWatcher(this);
    private volatile String sandboxId;
    private volatile String hostname = "";
    private volatile String sharedDir = "";

    /**
     * @param guest whether the agent runs inside the sandbox's VM (else on the host, for the mock hypervisor): an OCI
     *              spec's network namespace is the VM's in a guest, and kept as given on the host
     */
    public ContainerManager(OciRuntime runtime, Path stateDir, boolean guest) {
        this.runtime = runtime;
        this.starter = new OciProcessStarter(runtime);
        this.signaller = new OciSignaller(runtime);
        this.bundles = stateDir.resolve("bundles");
        this.guest = guest;
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
        FileTrees.delete(bundles);
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
        String json = spec(GuestDisks.resolved(req, GuestDisks.SYS_BLOCK), sid);
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

    /** The config.json: the caller's OCI spec adapted to the guest when the request carries one, else built. */
    private String spec(CreateContainerRequest req, String sid) {
        if (req.getOciSpec().isEmpty()) {
            return OciSpecWriter.config(req, sid, hostname);
        }
        return OciSpecAdapter.config(req, new OciSpecAdapter.Target(sid, hostname, guest, this::mainPid));
    }

    private Integer mainPid(String cid) {
        Container c = containers.get(cid);
        ManagedProcess m = c == null ? null : c.main();
        return m != null && m.alive() && m.pid() > 0 ? m.pid() : null;
    }

    /** Starts the container's main process in the foreground of the OCI runtime. */
    public ManagedProcess start(String cid) throws IOException {
        Container c = get(cid);
        ManagedProcess p = starter.start(c);
        oom.started(c);
        return p;
    }

    /** Runs an extra process in a running container. */
    public ManagedProcess exec(String cid, String execId, Cmd cmd) throws IOException {
        Container c = get(cid);
        checkId(execId, "exec");
        return starter.exec(c, execId, cmd);
    }

    /** Signals the main process (via the OCI runtime) or an exec (by pid). */
    public void signal(String cid, String execId, int sig, boolean all) throws IOException {
        signaller.signal(get(cid), execId, sig, all);
    }

    /** Pauses or resumes a running container. */
    public void pause(String cid, boolean pause) throws IOException {
        Container c = get(cid);
        ContainerStateGate op = pause ? ContainerStateGate.PAUSE : ContainerStateGate.RESUME;
        synchronized (c) {
            op.check(c);
            runtime.check(pause ? "pause" : "resume", cid);
            op.enter(c);
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
            FileTrees.delete(c.bundle());
            containers.remove(cid);
            ContainerStateGate.REMOVE.enter(c);
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
}
