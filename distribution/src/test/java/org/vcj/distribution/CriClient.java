package org.vcj.distribution;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.vcj.distribution.cri.ImageServiceGrpc;
import org.vcj.distribution.cri.RuntimeServiceGrpc;

/**
 * A CRI client (runtime.v1, the messages of {@code src/test/proto/cri.proto}) over grpc-java to containerd's Unix
 * socket, as the kubelet talks to it. Every call has a deadline of {@code callSeconds}: a hung runtime fails the
 * caller instead of blocking it.
 */
final class CriClient implements AutoCloseable {
    private final EpollEventLoopGroup group = new EpollEventLoopGroup(2);
    private final ManagedChannel channel;
    private final int callSeconds;

    CriClient(Path socket, int callSeconds) {
        this.callSeconds = callSeconds;
        channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollDomainSocketChannel.class).eventLoopGroup(group).usePlaintext()
                .maxInboundMessageSize(16 << 20).build();
    }

    RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime() {
        return RuntimeServiceGrpc.newBlockingStub(channel).withDeadlineAfter(callSeconds, TimeUnit.SECONDS);
    }

    ImageServiceGrpc.ImageServiceBlockingStub images() {
        return ImageServiceGrpc.newBlockingStub(channel).withDeadlineAfter(callSeconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
