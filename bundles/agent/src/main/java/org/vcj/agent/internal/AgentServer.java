package org.vcj.agent.internal;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The agent: gRPC server on a Unix socket (optionally bridged from a serial port) and its services. */
public final class AgentServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("org.vcj.agent");
    /** Netty warns about SO_KEEPALIVE on Unix sockets for every connection: keep that noise out of the log. */
    private static final java.util.logging.Logger NETTY_BOOTSTRAP =
            java.util.logging.Logger.getLogger("io.grpc.netty.shaded.io.netty.bootstrap");

    private final AgentOptions options;
    private final ContainerManager containers;
    private final GrpcHealthService health;
    private final Server server;
    /**
     * One I/O thread accepts and serves: the agent has one host session at a time (the serial bridge's), and the calls
     * run on gRPC's executor. Under TCG every event loop's periodic wake-up costs the host CPU (an idle VM's loops
     * woke once a second each).
     */
    private final EpollEventLoopGroup loop = new EpollEventLoopGroup(1);
    private final Path socket;
    private SerialBridge bridge;
    private final java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();

    /** Builds (does not start) the server. */
    public AgentServer(AgentOptions options, long startNanos) throws IOException {
        this.options = options;
        NETTY_BOOTSTRAP.setLevel(java.util.logging.Level.SEVERE);
        Files.createDirectories(options.stateDir());
        OciRuntime rt = new OciRuntime(options.runtime(), options.stateDir().resolve("runtime"), options.noPivot());
        this.containers = new ContainerManager(rt, options.stateDir(), options.guest());
        this.health = new GrpcHealthService(rt.name());
        this.socket = options.listen() != null ? options.listen() : options.stateDir().resolve("agent-internal.sock");
        this.server = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollServerDomainSocketChannel.class).bossEventLoopGroup(loop)
                .workerEventLoopGroup(loop)
                .addService(new GrpcAgentService(containers, containers.oom(),
                        new MetricsCollector(containers, startNanos),
                        options.guest() ? new GuestIdentity(options.shareTag()) : null))
                .addService(health).build();
    }

    /** Starts listening (removing a stale socket file first) and the serial bridge if configured. */
    public void start() throws IOException {
        Files.createDirectories(socket.toAbsolutePath().getParent());
        Files.deleteIfExists(socket);
        server.start();
        if (options.serial() != null) {
            bridge = new SerialBridge(options.serial(), socket);
            bridge.start();
        }
        LOG.log(System.Logger.Level.INFO, "agent serving on {0}{1}, oci runtime {2}, state dir {3}", socket,
                options.serial() == null ? "" : " bridged from " + options.serial(), options.runtime(), options.stateDir());
    }

    public GrpcHealthService health() {
        return health;
    }

    /** Blocks until the server terminates. */
    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    /** Stops serving, kills and deletes remaining containers, frees the socket. Bounded. */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        LOG.log(System.Logger.Level.INFO, "agent stopping");
        server.shutdown();
        try {
            if (bridge != null) {
                bridge.close();
            }
            if (containers.sandboxId() != null) {
                containers.destroySandbox();
            }
            if (!server.awaitTermination(2, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "agent shutdown: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        try {
            Files.deleteIfExists(socket);
        } catch (IOException ignored) {
            // best effort
        }
        LOG.log(System.Logger.Level.INFO, "agent stopped");
    }
}
