package org.vcj.distribution;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One CRI streaming session (the URL Exec or Attach returned) over a websocket with the Kubernetes channel
 * protocol ({@code v4.channel.k8s.io}): each binary frame starts with its stream number, 0 stdin, 1 stdout,
 * 2 stderr, 3 the error/status stream (v4: a JSON status whose {@code ExitCode} cause is the exit code).
 */
final class CriStream implements WebSocket.Listener, AutoCloseable {
    private static final Pattern EXIT_CODE = Pattern.compile("\"reason\":\"ExitCode\",\"message\":\"(\\d+)\"");
    private final ByteArrayOutputStream[] streams = {new ByteArrayOutputStream(), new ByteArrayOutputStream(),
            new ByteArrayOutputStream(), new ByteArrayOutputStream()};
    private final ByteArrayOutputStream message = new ByteArrayOutputStream();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;

    private CriStream(String url) throws Exception {
        URI uri = URI.create(url.replaceFirst("^http", "ws"));
        socket = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("v4.channel.k8s.io", "channel.k8s.io")
                .connectTimeout(Duration.ofSeconds(30)).buildAsync(uri, this).get(60, TimeUnit.SECONDS);
    }

    static CriStream open(String url) throws Exception {
        return new CriStream(url);
    }

    /** Writes to the process's stdin (stream 0). */
    void send(String text) throws Exception {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        ByteBuffer frame = ByteBuffer.allocate(data.length + 1).put((byte) 0).put(data).flip();
        socket.sendBinary(frame, true).get(30, TimeUnit.SECONDS);
    }

    /** Waits until stdout contains {@code text}; false when the session ended or the time ran out first. */
    boolean awaitStdout(String text, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!stdout().contains(text)) {
            if (closed.isDone() || System.nanoTime() > deadline) return stdout().contains(text);
            Thread.sleep(50);
        }
        return true;
    }

    /** Waits for the server to end the session (the process exited); false when it did not within the time. */
    boolean awaitEnd(Duration within) throws InterruptedException {
        try {
            closed.get(within.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return true;
        }
    }

    String stdout() {
        return text(1);
    }

    String stderr() {
        return text(2);
    }

    /** The status the server sent on stream 3 ("" when it sent none: a v4 server sends Success or a failure). */
    String status() {
        return text(3);
    }

    /** The exit code: 0 on a Success status, the ExitCode cause of a failure, -1 when there was no status. */
    int exitCode() {
        String status = status();
        if (status.contains("\"status\":\"Success\"")) return 0;
        Matcher m = EXIT_CODE.matcher(status);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    String describe() {
        return "stdout: " + stdout() + "\nstderr: " + stderr() + "\nstatus: " + status();
    }

    private String text(int stream) {
        synchronized (streams) {
            return streams[stream].toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        synchronized (streams) {
            message.writeBytes(bytes);
            if (last) {
                byte[] frame = message.toByteArray();
                message.reset();
                if (frame.length > 0 && frame[0] >= 0 && frame[0] < streams.length) {
                    streams[frame[0]].write(frame, 1, frame.length - 1);
                }
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) socket.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(5, TimeUnit.SECONDS);
        socket.abort();
    }
}
