package org.vcj.agent.client.internal;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.vcj.api.AgentException;
import org.vcj.api.InvalidConfigException;
import org.vcj.api.NotSupportedException;
import org.vcj.api.agent.Agent;
import org.vcj.api.agent.AgentConnector;

/**
 * Dials guest agents over gRPC on Unix domain sockets ({@code unix:///abs/path}) with Netty epoll.
 * {@link #connect} retries with backoff, on a fresh channel per attempt, until the agent's health
 * check answers SERVING or the timeout passes (the socket may not exist yet, or — QEMU virtio-serial —
 * exist before the guest agent listens). All connections share one event loop group.
 */
@Component(service = AgentConnector.class)
public final class GrpcAgentConnector implements AgentConnector {
    private static final System.Logger LOG = System.getLogger(GrpcAgentConnector.class.getName());
    /** A cold agent under TCG takes over a second for its first call: a shorter attempt only starts it again. */
    static final int MIN_ATTEMPT_SECONDS = 4;
    static final int MAX_ATTEMPT_SECONDS = 5;
    private static final Duration MIN_ATTEMPT = Duration.ofSeconds(MIN_ATTEMPT_SECONDS);
    private static final Duration MAX_ATTEMPT = Duration.ofSeconds(MAX_ATTEMPT_SECONDS);
    /** Netty (Bootstrap) warns on every Unix-socket connection that SO_KEEPALIVE does not apply; kept referenced so the level sticks. */
    private static final java.util.logging.Logger BOOTSTRAP_LOG =
            java.util.logging.Logger.getLogger("io.grpc.netty.shaded.io.netty.bootstrap");
    private EpollEventLoopGroup group;

    /** Activated by DS; also usable directly (tests). Netty is set up on the first connection, not here. */
    @Activate
    public GrpcAgentConnector() {
        // nothing yet: a CLI call that talks to no agent (list, status of a stopped sandbox) does not load Netty
    }

    /** The shared event loop group, made on first use. */
    private synchronized EpollEventLoopGroup group() {
        if (group != null) return group;
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(GrpcAgentConnector.class.getClassLoader());
        try {
            BOOTSTRAP_LOG.setLevel(java.util.logging.Level.SEVERE);
            Epoll.ensureAvailability();
            group = new EpollEventLoopGroup(2, new DefaultThreadFactory("vcj-agent-client", true));
            return group;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            throw new AgentException(null, "connect", null, "Netty epoll is not available (" + e
                    + "); the agent client needs Linux x86-64/aarch64", e);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    /** Shuts the shared event loop down (if it was made); open agents stop working. */
    @Deactivate
    public synchronized void deactivate() {
        if (group != null) group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        group = null;
    }

    @Override
    public Agent connect(String sandboxId, String address, Duration timeout) {
        return connect(sandboxId, address, timeout, () -> { });
    }

    /**
     * The one retry policy of agent connections (the core gives its whole wait and a VM check, never a shorter
     * attempt): the first health check may take {@value #MIN_ATTEMPT_SECONDS} s, each later one twice the last, up to
     * {@value #MAX_ATTEMPT_SECONDS} s; between attempts, and while the socket does not exist, it sleeps 20 ms
     * doubling to 500 ms. {@code stillThere} runs before every attempt and every look for the socket.
     */
    @Override
    public Agent connect(String sandboxId, String address, Duration timeout, Runnable stillThere) {
        Path socket = socketPath(address);
        long deadline = System.nanoTime() + (timeout == null ? 0 : Math.max(0, timeout.toNanos()));
        Duration attempt = MIN_ATTEMPT;
        long backoffMillis = 20;
        String last = "the socket " + socket + " does not exist";
        int attempts = 0;
        do {
            stillThere.run();
            if (Files.exists(socket)) {
                attempts++;
                Duration left = Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
                AgentCalls calls = new AgentCalls(sandboxId, channel(socket));
                GrpcAgent agent = new GrpcAgent(calls);
                try {
                    String version = agent.check(left.compareTo(attempt) < 0 ? left : attempt);
                    LOG.log(Level.DEBUG, () -> "connected to agent " + version + " of " + sandboxId + " at " + address);
                    return agent;
                } catch (AgentException e) {
                    calls.close();
                    last = e.getMessage();
                }
                attempt = attempt.multipliedBy(2).compareTo(MAX_ATTEMPT) > 0 ? MAX_ATTEMPT : attempt.multipliedBy(2);
            }
            long leftMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (leftMillis <= 0) {
                break;
            }
            sleep(sandboxId, Math.min(backoffMillis, leftMillis));
            backoffMillis = Math.min(500, backoffMillis * 2);
        } while (System.nanoTime() < deadline);
        throw new AgentException(sandboxId, "connect", null, "no healthy agent at " + address + " within "
                + (timeout == null ? 0 : timeout.toMillis()) + " ms after " + attempts + " attempt(s) (last: " + last
                + "); check that the sandbox VM is running and read the agent log", null);
    }

    private ManagedChannel channel(Path socket) {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(GrpcAgentConnector.class.getClassLoader());
        try {
            return NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                    .channelType(EpollDomainSocketChannel.class)
                    .eventLoopGroup(group())
                    .usePlaintext()
                    .maxInboundMessageSize(64 * 1024 * 1024)
                    .build();
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    /** {@code unix:///abs/path} → the path; {@code vsock://} is not supported by this client. */
    static Path socketPath(String address) {
        if (address != null && address.startsWith("unix://")) {
            String path = address.substring("unix://".length());
            if (path.startsWith("/") && path.length() > 1) {
                return Path.of(path);
            }
        }
        if (address != null && address.startsWith("vsock://")) {
            throw new NotSupportedException("connecting to " + address, "the gRPC agent client",
                    "Netty has no vsock channel; use a virtio-serial unix:// socket");
        }
        throw new InvalidConfigException("agent address", address, "use unix:///absolute/path.sock");
    }

    private static void sleep(String sandboxId, long millis) {
        try {
            Thread.sleep(Math.max(1, millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException(sandboxId, "connect", null, "interrupted while waiting for the agent", e);
        }
    }
}
