package org.vcj.vmfactory.cache.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.vcj.api.HypervisorException;
import org.vcj.api.InvalidConfigException;
import org.vcj.api.NotSupportedException;
import org.vcj.api.agent.AgentConnector;
import org.vcj.api.factory.FactoryStatus;
import org.vcj.api.factory.VMFactory;
import org.vcj.api.factory.VMRequest;
import org.vcj.api.hypervisor.Hypervisor;
import org.vcj.api.hypervisor.VM;
import org.vcj.vmfactory.cache.protocol.CacheConfig;
import org.vcj.vmfactory.cache.protocol.CacheStatus;
import org.vcj.vmfactory.cache.protocol.CachedVMStatus;
import org.vcj.vmfactory.cache.protocol.Empty;
import org.vcj.vmfactory.cache.protocol.GetBaseVMRequest;

/**
 * The cache VM factory ({@code vcj.vmfactory=cache}, Kata's CreateFromCache). In a runtime it is the client of a
 * VM cache server: it takes a pre-booted VM whose configuration matches the sandbox's, and the VM's directory is
 * moved into the sandbox's. {@link #serve} runs that server ({@code vcj factory serve --factory=cache}).
 */
@Component(service = VMFactory.class, property = VMFactory.TYPE + "=cache")
public final class CacheVMFactory implements VMFactory {

    private static final Duration CALL = Duration.ofSeconds(10);
    /** How long a hypervisor plugin may take to register when orphans of its type are to be removed. */
    private static final Duration PLUGIN_GRACE = Duration.ofSeconds(10);

    private final AgentConnector agents;
    private final Map<String, Hypervisor> hypervisors = new TreeMap<>();
    private volatile CacheServer running;

    @Activate
    public CacheVMFactory(@Reference AgentConnector agents) {
        this.agents = agents;
    }

    @Reference(service = Hypervisor.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    synchronized void addHypervisor(Hypervisor h, Map<String, Object> props) {
        if (props.get(Hypervisor.TYPE) instanceof String type) hypervisors.put(type, h);
        notifyAll();
    }

    synchronized void removeHypervisor(Hypervisor h, Map<String, Object> props) {
        hypervisors.values().remove(h);
    }

    /** The hypervisor plugin of {@code type}, waiting a little for it to register; null when it is not installed. */
    private synchronized Hypervisor hypervisor(String type) {
        long deadline = System.nanoTime() + PLUGIN_GRACE.toNanos();
        while (!hypervisors.containsKey(type) && System.nanoTime() < deadline) {
            try {
                wait(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return hypervisors.get(type);
    }

    private synchronized List<Hypervisor> allHypervisors() {
        return List.copyOf(hypervisors.values());
    }

    @Override
    public VM newVM(VMRequest request) {
        try (CacheClient client = CacheClient.open(CachePaths.of(request.root()).socket())) {
            CacheConfig served = client.call("Config", CALL, s -> s.config(Empty.getDefaultInstance()));
            String digest = request.hypervisor().configDigest(request.config());
            if (!served.getHypervisorType().equals(request.hypervisorType()) || !served.getConfigDigest().equals(digest)) {
                throw new InvalidConfigException("HypervisorConfig", request.hypervisorType(), "the VM cache serves "
                        + served.getHypervisorType() + " VMs of another configuration (" + served.getConfigDigest() + "); restart the"
                        + " cache server with this sandbox's settings, or use another factory");
            }
            GetBaseVMRequest req = GetBaseVMRequest.newBuilder().setHypervisorType(request.hypervisorType()).setConfigDigest(digest)
                    .setRunDir(request.config().runDir()).setTimeoutMillis(request.timeout().toMillis()).build();
            return CacheProtos.fromProto(client.call("GetBaseVM", request.timeout().plus(CALL), s -> s.getBaseVM(req)));
        }
    }

    @Override
    public List<FactoryStatus> status(Path root) {
        CachePaths paths = CachePaths.of(root);
        if (!CacheClient.answers(paths.socket())) return CacheOrphans.status(paths);
        try (CacheClient client = CacheClient.open(paths.socket())) {
            CacheStatus st = client.call("Status", CALL, s -> s.status(Empty.getDefaultInstance()));
            List<FactoryStatus> out = new ArrayList<>();
            CacheConfig c = st.getConfig();
            out.add(new FactoryStatus("cache", paths.socket().toString(), "serving", 0, Instant.ofEpochMilli(st.getStartedMillis()),
                    st.getReadyCount(), c.getHypervisorType() + " VMs from " + c.getSourceFactory() + ", size " + c.getSize()
                    + ", booting " + st.getBooting() + ", handed out " + st.getHandedOut() + ", failures " + st.getFailures()));
            for (CachedVMStatus vm : st.getReadyList()) {
                out.add(new FactoryStatus("cache", vm.getId(), "ready", 0, Instant.ofEpochMilli(vm.getReadyMillis()), 1,
                        "pid " + vm.getPid() + ", " + vm.getVcpus() + " vCPUs, " + vm.getMemoryMib() + " MiB"));
            }
            return out;
        }
    }

    /**
     * Asks a running server to quit: it stops the VMs nobody took. When no server answers, removes what a killed one
     * left: its VMs (process, network namespace, files), journal and socket.
     */
    @Override
    public List<FactoryStatus> destroy(Path root) {
        CachePaths paths = CachePaths.of(root);
        if (!CacheClient.answers(paths.socket())) return reapOrphans(paths);
        List<FactoryStatus> before = status(root);
        try (CacheClient client = CacheClient.open(paths.socket())) {
            client.call("Quit", CALL, s -> s.quit(Empty.getDefaultInstance()));
        } catch (HypervisorException e) {
            if (CacheClient.answers(paths.socket())) throw e;
            return reapOrphans(paths);   // it went away meanwhile
        }
        return before;
    }

    /** Removes what a killed cache server left (nothing while a server answers: its VMs are its own). */
    @Override
    public List<FactoryStatus> cleanup(Path root) {
        CachePaths paths = CachePaths.of(root);
        return CacheClient.answers(paths.socket()) ? List.of() : reapOrphans(paths);
    }

    private List<FactoryStatus> reapOrphans(CachePaths paths) {
        return CacheOrphans.reap(paths, this::hypervisor, allHypervisors());
    }

    @Override
    public void serve(VMRequest prototype, VMFactory source, int size) {
        if (!prototype.hypervisor().relocatable()) {
            throw new NotSupportedException("a VM cache", "hypervisor " + prototype.hypervisorType(),
                    "its running VMs cannot be moved into a sandbox; use the direct or template factory");
        }
        CachePaths paths = CachePaths.of(prototype.root());
        String sourceName = source.getClass().getSimpleName();
        VmPool pool = new VmPool(prototype, source, agents, paths.vms(), new PoolJournal(paths.dir()), size);
        CacheServer server = new CacheServer(paths, pool, CacheServer.config(prototype, sourceName, size));
        CacheSignalStop signals = new CacheSignalStop(server, prototype.timeout().plusSeconds(60));
        try {
            if (!CacheClient.answers(paths.socket())) {
                int left = reapOrphans(paths).size();
                if (left > 0) System.err.println("vcj: removed " + left + " VM(s) left by a VM cache server that was killed");
            }
            server.start();
            running = server;
            signals.install();
            System.err.println("vcj: VM cache serving on " + paths.socket() + " (" + size + " VMs, from " + sourceName
                    + "); stop it with 'vcj factory destroy --factory=cache' or SIGTERM");
            server.awaitQuit();
        } catch (IOException e) {
            throw new HypervisorException(null, "factory serve", "cannot serve on " + paths.socket() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            server.close();
            signals.stopped();
            running = null;
        }
    }

    /** The framework is stopping (e.g. the server's JVM got SIGTERM): stop the VMs nobody took. */
    @Deactivate
    void deactivate() {
        CacheServer s = running;
        if (s != null) s.close();
    }
}
