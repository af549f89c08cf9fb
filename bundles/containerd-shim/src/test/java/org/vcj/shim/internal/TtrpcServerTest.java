package org.vcj.shim.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.vcj.shim.proto.TaskProto;
import org.vcj.shim.proto.TtrpcProto;

/** The ttrpc server over a real Unix socket, with a handler standing in for the Task service. */
@Timeout(30)
class TtrpcServerTest {
    @TempDir
    Path dir;

    @Test
    void answersOnTheRequestsStreamWithPayloadOrStatus() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        TtrpcServer.Handler handler = (service, method, metadata, payload) -> switch (method) {
            case "Connect" -> TaskProto.ConnectResponse.newBuilder().setShimPid(42)
                    .setVersion(TaskProto.ConnectRequest.parseFrom(payload).getId() + "@" + metadata.get(TaskDispatcher.NAMESPACE_KEY))
                    .build().toByteArray();
            case "Wait" -> {
                release.await(10, TimeUnit.SECONDS);
                yield TaskProto.WaitResponse.newBuilder().setExitStatus(3).build().toByteArray();
            }
            default -> throw new TaskException(TaskException.NOT_FOUND, "task x not found");
        };
        Path socket = dir.resolve("s.sock");
        try (TtrpcServer server = TtrpcServer.start(socket, handler);
             SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket));
            // a blocked Wait (stream 1) must not hold up a later call (stream 3)
            send(c, 1, "Wait", TaskProto.WaitRequest.newBuilder().setId("x").build().toByteString());
            send(c, 3, "Connect", TaskProto.ConnectRequest.newBuilder().setId("abc").build().toByteString());
            TtrpcFrame first = TtrpcFrame.read(c);
            assertEquals(3, first.streamId());
            assertEquals(TtrpcFrame.RESPONSE, first.type());
            TaskProto.ConnectResponse connect = TaskProto.ConnectResponse.parseFrom(TtrpcProto.Response.parseFrom(first.payload()).getPayload());
            assertEquals(42, connect.getShimPid());
            assertEquals("abc@k8s.io", connect.getVersion(), "the call's metadata reaches the handler");
            release.countDown();
            TtrpcFrame second = TtrpcFrame.read(c);
            assertEquals(1, second.streamId());
            assertEquals(3, TaskProto.WaitResponse.parseFrom(TtrpcProto.Response.parseFrom(second.payload()).getPayload()).getExitStatus());

            send(c, 5, "Pids", ByteString.EMPTY);
            TtrpcProto.Response error = TtrpcProto.Response.parseFrom(TtrpcFrame.read(c).payload());
            assertEquals(TaskException.NOT_FOUND, error.getStatus().getCode());
            assertEquals("task x not found", error.getStatus().getMessage());
        }
        assertFalse(Files.exists(socket), "the socket file is removed on close");
    }

    @Test
    void frameHeaderIsLengthStreamTypeFlags() throws Exception {
        Path socket = dir.resolve("f.sock");
        Set<String> calls = new HashSet<>();
        try (TtrpcServer server = TtrpcServer.start(socket, (s, m, md, p) -> {
                calls.add(s + "/" + m);
                return new byte[0];
            });
             SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket));
            byte[] req = TtrpcProto.Request.newBuilder().setService("containerd.task.v2.Task").setMethod("State").build().toByteArray();
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(10 + req.length);
            b.putInt(req.length).putInt(7).put((byte) 1).put((byte) 0).put(req).flip();
            while (b.hasRemaining()) c.write(b);
            java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(10);
            while (header.hasRemaining()) c.read(header);
            header.flip();
            int length = header.getInt();
            assertEquals(7, header.getInt());
            assertEquals(2, header.get());
            assertEquals(0, header.get());
            // the handler's empty answer: a Response without payload or status is an empty message
            assertEquals(0, length);
        }
        assertEquals(Set.of("containerd.task.v2.Task/State"), calls);
    }

    private static void send(SocketChannel c, int stream, String method, ByteString payload) throws Exception {
        byte[] req = TtrpcProto.Request.newBuilder().setService(TaskDispatcher.SERVICE).setMethod(method).setPayload(payload)
                .addMetadata(TtrpcProto.KeyValue.newBuilder().setKey(TaskDispatcher.NAMESPACE_KEY).setValue("k8s.io")).build().toByteArray();
        new TtrpcFrame(stream, TtrpcFrame.REQUEST, (byte) 0, req).write(c);
    }
}
