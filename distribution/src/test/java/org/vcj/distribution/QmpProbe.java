package org.vcj.distribution;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Asks a VM's QEMU directly over its QMP socket (what QEMU itself says, not what vcj recorded). Bounded: 10 s. */
final class QmpProbe {

    private QmpProbe() {
    }

    /** The answer line of one command (with optional JSON arguments). */
    static String execute(Path socket, String command, String argumentsJson) throws Exception {
        CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> {
            try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                 BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8))) {
                in.readLine(); // greeting
                send(ch, "{\"execute\":\"qmp_capabilities\"}");
                reply(in);
                send(ch, "{\"execute\":\"" + command + "\"" + (argumentsJson == null ? "" : ",\"arguments\":" + argumentsJson) + "}");
                return reply(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return answer.get(10, TimeUnit.SECONDS);
    }

    /** The run state from {@code query-status}: running, paused ... */
    static String status(Path socket) throws Exception {
        String reply = execute(socket, "query-status", null);
        Matcher m = Pattern.compile("\"status\"\\s*:\\s*\"([a-z-]+)\"").matcher(reply);
        if (!m.find()) throw new AssertionError("no status in " + reply);
        return m.group(1);
    }

    private static void send(SocketChannel ch, String json) throws IOException {
        ByteBuffer b = ByteBuffer.wrap((json + "\n").getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) ch.write(b);
    }

    private static String reply(BufferedReader in) throws IOException {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.contains("\"return\"") || line.contains("\"error\"")) return line;
        }
        throw new EOFException("QMP closed the connection");
    }
}
