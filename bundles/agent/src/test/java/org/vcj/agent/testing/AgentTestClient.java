package org.vcj.agent.testing;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.vcj.agent.protocol.AgentServiceGrpc;
import org.vcj.agent.protocol.HealthGrpc;
import org.vcj.agent.protocol.ReadStreamRequest;
import org.vcj.agent.protocol.ReadStreamResponse;

/** A gRPC client to an agent on a Unix socket, for tests. Every call has a 30 s deadline. */
public final class AgentTestClient implements AutoCloseable {
    private final EpollEventLoopGroup group = new EpollEventLoopGroup(1);
    private final ManagedChannel channel;

    public AgentTestClient(Path socket) {
        channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollDomainSocketChannel.class).eventLoopGroup(group).usePlaintext().build();
    }

    public AgentServiceGrpc.AgentServiceBlockingStub agent() {
        return AgentServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    public HealthGrpc.HealthBlockingStub health() {
        return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    /** Reads stdout of a process until EOF (bounded by {@code maxMillis}). */
    public String readAllStdout(String cid, String execId, long maxMillis) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long deadline = System.currentTimeMillis() + maxMillis;
        while (System.currentTimeMillis() < deadline) {
            ReadStreamResponse r = agent().readStdout(ReadStreamRequest.newBuilder().setContainerId(cid).setExecId(execId).build());
            out.writeBytes(r.getData().toByteArray());
            if (r.getEof()) {
                break;
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
