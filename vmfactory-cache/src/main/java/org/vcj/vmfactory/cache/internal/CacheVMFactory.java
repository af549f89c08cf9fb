package org.vcj.vmfactory.cache.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.vcj.api.HypervisorException;
import org.vcj.api.InvalidConfigException;
import org.vcj.api.NotSupportedException;
import org.vcj.api.agent.AgentConnector;
import org.vcj.api.factory.FactoryStatus;
import org.vcj.api.factory.VMFactory;
import org.vcj.api.factory.VMRequest;
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

    private final AgentConnector agents;
    private volatile CacheServer running;

    @Activate
    public CacheVMFactory(@Reference AgentConnector agents) {
        this.agents = agents;
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
        if (!CacheClient.answers(paths.socket())) return List.of();
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

    /** Asks a running server to quit: it stops the VMs nobody took. A socket nobody answers on is removed. */
    @Override
    public List<FactoryStatus> destroy(Path root) {
        Path socket = CachePaths.of(root).socket();
        if (!java.nio.file.Files.exists(socket)) return List.of();
        List<FactoryStatus> before = status(root);
        try (CacheClient client = CacheClient.open(socket)) {
            client.call("Quit", CALL, s -> s.quit(Empty.getDefaultInstance()));
        } catch (HypervisorException e) {
            if (CacheClient.answers(socket)) throw e;
            try {
                java.nio.file.Files.deleteIfExists(socket);   // left by a server that was killed
            } catch (IOException gone) {
                throw new HypervisorException(null, "VM cache", "cannot remove the stale socket " + socket + ": " + gone.getMessage(), gone);
            }
        }
        return before;
    }

    @Override
    public void serve(VMRequest prototype, VMFactory source, int size) {
        if (!prototype.hypervisor().relocatable()) {
            throw new NotSupportedException("a VM cache", "hypervisor " + prototype.hypervisorType(),
                    "its running VMs cannot be moved into a sandbox; use the direct or template factory");
        }
        CachePaths paths = CachePaths.of(prototype.root());
        String sourceName = source.getClass().getSimpleName();
        VmPool pool = new VmPool(prototype, source, agents, paths.vms(), size);
        try (CacheServer server = new CacheServer(paths, pool, CacheServer.config(prototype, sourceName, size))) {
            server.start();
            running = server;
            System.err.println("vcj: VM cache serving on " + paths.socket() + " (" + size + " VMs, from " + sourceName
                    + "); stop it with 'vcj factory destroy --factory=cache'");
            server.awaitQuit();
        } catch (IOException e) {
            throw new HypervisorException(null, "factory serve", "cannot serve on " + paths.socket() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
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
