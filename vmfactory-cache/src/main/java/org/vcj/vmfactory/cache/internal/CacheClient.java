package org.vcj.vmfactory.cache.internal;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.vcj.api.HypervisorException;
import org.vcj.vmfactory.cache.protocol.VMCacheGrpc;

/** One connection to a VM cache server's socket; each call has a deadline. */
final class CacheClient implements AutoCloseable {

    static final String HOW_TO_START = "start one with 'vcj factory serve --factory=cache --size=N [--from=template|direct]'";

    private final Path socket;
    private final EpollEventLoopGroup group = new EpollEventLoopGroup(1, new DefaultThreadFactory("vcj-vmcache-client", true));
    private final ManagedChannel channel;

    private CacheClient(Path socket) {
        this.socket = socket;
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(CacheClient.class.getClassLoader());
        try {
            channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                    .channelType(EpollDomainSocketChannel.class).eventLoopGroup(group).usePlaintext().build();
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    /** Connects to the server at {@code socket}; a missing socket is a typed error that says how to start one. */
    static CacheClient open(Path socket) {
        if (!Files.exists(socket)) {
            throw new HypervisorException(null, "VM cache", "no VM cache server is running (no " + socket + "); " + HOW_TO_START, null);
        }
        return new CacheClient(socket);
    }

    /** Whether a server answers on {@code socket} (its Config call within five seconds). */
    static boolean answers(Path socket) {
        if (!Files.exists(socket)) return false;
        try (CacheClient c = new CacheClient(socket)) {
            c.call("Config", Duration.ofSeconds(5), s -> s.config(org.vcj.vmfactory.cache.protocol.Empty.getDefaultInstance()));
            return true;
        } catch (HypervisorException e) {
            return false;
        }
    }

    /** Runs one call with a deadline; gRPC failures become a HypervisorException naming the call and the socket. */
    <T> T call(String name, Duration deadline, Function<VMCacheGrpc.VMCacheBlockingStub, T> body) {
        try {
            return body.apply(VMCacheGrpc.newBlockingStub(channel).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS));
        } catch (StatusRuntimeException e) {
            String what = e.getStatus().getCode() == io.grpc.Status.Code.UNAVAILABLE
                    ? "the VM cache server at " + socket + " does not answer (" + e.getStatus().getDescription() + "); " + HOW_TO_START
                    : "VM cache " + name + " failed: " + e.getStatus().getCode() + " " + e.getStatus().getDescription();
            throw new HypervisorException(null, "VM cache " + name, what, e);
        }
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
