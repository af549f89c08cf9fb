package org.vcj.shim.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.Any;
import com.google.protobuf.Message;

/**
 * Publishes task events to containerd as runtime v2 shims do: {@code PUBLISH_BINARY --address ADDRESS publish
 * --topic TOPIC --namespace NS} with the event (NS: the task's namespace), wrapped in a protobuf Any, on stdin. Events go out one at a time in
 * the order they happened (an exit before its delete); a failure is logged, never thrown at the Task call.
 */
final class EventPublisher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EventPublisher.class.getName());
    private static final long TIMEOUT_SECONDS = 10;

    private final String binary;
    private final String address;
    private final ExecutorService queue = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "vcj-shim-events");
        t.setDaemon(true);
        return t;
    });

    EventPublisher(String binary, String address) {
        this.binary = binary;
        this.address = address;
    }

    /** Queues {@code event} (a containerd.events message) for topic {@code /tasks/...} of containerd namespace {@code namespace}. */
    void publish(String namespace, String topic, Message event) {
        if (binary == null || binary.isEmpty() || address == null || address.isEmpty()) {
            LOG.log(System.Logger.Level.DEBUG, "no publish binary or address: event " + topic + " dropped");
            return;
        }
        byte[] any = Any.newBuilder().setTypeUrl("containerd.events." + event.getDescriptorForType().getName())
                .setValue(event.toByteString()).build().toByteArray();
        queue.execute(() -> send(namespace, topic, any));
    }

    private void send(String namespace, String topic, byte[] any) {
        ProcessBuilder pb = new ProcessBuilder(binary, "--address", address, "publish", "--topic", topic,
                "--namespace", namespace).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectErrorStream(true);
        try {
            Process p = pb.start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(any);
            }
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                LOG.log(System.Logger.Level.WARNING, "publishing " + topic + " took over " + TIMEOUT_SECONDS + " s; stopped");
            } else if (p.exitValue() != 0) {
                LOG.log(System.Logger.Level.WARNING, "publishing " + topic + " failed: " + binary + " exited " + p.exitValue());
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot publish " + topic + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends what is queued (bounded), then stops. */
    @Override
    public void close() {
        queue.shutdown();
        try {
            queue.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
