package org.vcj.shim.internal;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.vcj.shim.proto.TtrpcProto;

/**
 * A ttrpc server on a Unix socket: every request frame is handled on its own thread (Wait blocks for as long as the
 * process runs), responses are written whole under the connection's write lock.
 */
final class TtrpcServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TtrpcServer.class.getName());

    /** The service behind the server. */
    interface Handler {
        /**
         * @param metadata the call's ttrpc metadata (the last value of each key)
         * @return the serialized response message; throws {@link TaskException} for an error status
         */
        byte[] handle(String service, String method, java.util.Map<String, String> metadata, byte[] payload) throws Exception;

        /** A client connected (before its first call). */
        default void connected() { }
    }

    private final Path socket;
    private final ServerSocketChannel server;
    private final Handler handler;
    private final ExecutorService calls = Executors.newCachedThreadPool(r -> daemon(r, "vcj-shim-call"));
    private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private TtrpcServer(Path socket, ServerSocketChannel server, Handler handler) {
        this.socket = socket;
        this.server = server;
        this.handler = handler;
    }

    /** Binds {@code socket} (replacing a stale socket file) and starts accepting. */
    static TtrpcServer start(Path socket, Handler handler) throws IOException {
        Files.createDirectories(socket.getParent());
        Files.deleteIfExists(socket);
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        ch.bind(UnixDomainSocketAddress.of(socket));
        TtrpcServer s = new TtrpcServer(socket, ch, handler);
        daemon(s::acceptLoop, "vcj-shim-accept").start();
        return s;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                SocketChannel c = server.accept();
                connections.add(c);
                handler.connected();
                daemon(() -> serve(c), "vcj-shim-conn").start();
            } catch (IOException e) {
                if (!closed) LOG.log(System.Logger.Level.WARNING, "ttrpc accept failed: " + e);
                return;
            }
        }
    }

    private void serve(SocketChannel c) {
        Object writeLock = new Object();
        try (c) {
            TtrpcFrame f;
            while ((f = TtrpcFrame.read(c)) != null) {
                if (f.type() != TtrpcFrame.REQUEST) {
                    LOG.log(System.Logger.Level.DEBUG, "ignoring ttrpc frame of type " + f.type());
                    continue;
                }
                TtrpcFrame request = f;
                calls.execute(() -> answer(c, writeLock, request));
            }
        } catch (IOException e) {
            if (!closed) LOG.log(System.Logger.Level.DEBUG, "ttrpc connection ended: " + e);
        } finally {
            connections.remove(c);
        }
    }

    private void answer(SocketChannel c, Object writeLock, TtrpcFrame frame) {
        TtrpcProto.Response.Builder response = TtrpcProto.Response.newBuilder();
        String call = "?";
        try {
            TtrpcProto.Request req = TtrpcProto.Request.parseFrom(frame.payload());
            call = req.getService() + "/" + req.getMethod();
            java.util.Map<String, String> metadata = new java.util.HashMap<>();
            req.getMetadataList().forEach(kv -> metadata.put(kv.getKey(), kv.getValue()));
            byte[] out = handler.handle(req.getService(), req.getMethod(), metadata, req.getPayload().toByteArray());
            response.setPayload(com.google.protobuf.ByteString.copyFrom(out));
        } catch (TaskException e) {
            LOG.log(System.Logger.Level.INFO, call + ": " + e.getMessage());
            response.setStatus(TtrpcProto.RpcStatus.newBuilder().setCode(e.code()).setMessage(e.getMessage()));
        } catch (Exception | LinkageError e) {
            LOG.log(System.Logger.Level.WARNING, call + " failed", e);
            response.setStatus(TtrpcProto.RpcStatus.newBuilder().setCode(TaskException.INTERNAL)
                    .setMessage(String.valueOf(e.getMessage() != null ? e.getMessage() : e.toString())));
        }
        TtrpcFrame reply = new TtrpcFrame(frame.streamId(), TtrpcFrame.RESPONSE, (byte) 0, response.build().toByteArray());
        synchronized (writeLock) {
            try {
                reply.write(c);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "cannot answer " + call + ": " + e);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the ttrpc socket: " + e);
        }
        for (SocketChannel c : connections) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        calls.shutdownNow();
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "removing " + socket + ": " + e);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
