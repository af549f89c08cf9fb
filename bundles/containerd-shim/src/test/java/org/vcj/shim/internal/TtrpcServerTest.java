package org.vcj.shim.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
        byte[] answer = "state of x".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (TtrpcServer server = TtrpcServer.start(socket, (s, m, md, p) -> {
                calls.add(s + "/" + m);
                return answer;
            });
             SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket));
            byte[] req = TtrpcProto.Request.newBuilder().setService("containerd.task.v2.Task").setMethod("State").build().toByteArray();
            for (int stream : new int[] {7, 9}) {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(10 + req.length);
                b.putInt(req.length).putInt(stream).put((byte) 1).put((byte) 0).put(req).flip();
                while (b.hasRemaining()) c.write(b);
            }
            byte[] expected = TtrpcProto.Response.newBuilder().setPayload(ByteString.copyFrom(answer)).build().toByteArray();
            Set<Integer> streams = new HashSet<>();
            for (int i = 0; i < 2; i++) { // answered in either order: each call runs on its own
                java.nio.ByteBuffer header = readFully(c, 10);
                assertEquals(expected.length, header.getInt(), "the length is the response message's, in bytes");
                streams.add(header.getInt());
                assertEquals(2, header.get());
                assertEquals(0, header.get());
                java.nio.ByteBuffer body = readFully(c, expected.length);
                assertEquals(ByteString.copyFrom(answer), TtrpcProto.Response.parseFrom(body).getPayload());
            }
            assertEquals(Set.of(7, 9), streams, "the lengths delimit the frames: the second header is where the first length says");
        }
        assertEquals(Set.of("containerd.task.v2.Task/State"), calls);
    }

    private static java.nio.ByteBuffer readFully(SocketChannel c, int n) throws Exception {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (c.read(b) < 0) throw new java.io.EOFException("closed after " + b.position() + " of " + n + " bytes");
        }
        return b.flip();
    }

    private static void send(SocketChannel c, int stream, String method, ByteString payload) throws Exception {
        byte[] req = TtrpcProto.Request.newBuilder().setService(TaskDispatcher.SERVICE).setMethod(method).setPayload(payload)
                .addMetadata(TtrpcProto.KeyValue.newBuilder().setKey(TaskDispatcher.NAMESPACE_KEY).setValue("k8s.io")).build().toByteArray();
        new TtrpcFrame(stream, TtrpcFrame.REQUEST, (byte) 0, req).write(c);
    }
}
