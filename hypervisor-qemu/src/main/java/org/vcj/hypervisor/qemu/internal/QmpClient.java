package org.vcj.hypervisor.qemu.internal;

import org.vcj.support.fs.UnixSocketPaths;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.vcj.api.HypervisorException;

/**
 * A small QMP client over QEMU's Unix socket: greeting, capabilities negotiation, then one command at a time.
 * Events that arrive before a command's answer are skipped. Answers are returned as their JSON text.
 */
final class QmpClient implements AutoCloseable {

    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([a-z-]+)\"");

    private final String vmId;
    private final SocketChannel channel;
    private final StringBuilder pending = new StringBuilder();

    private QmpClient(String vmId, SocketChannel channel) {
        this.vmId = vmId;
        this.channel = channel;
    }

    /** Connects, retrying until the socket accepts or the timeout passes. */
    static QmpClient connect(String vmId, Path socket, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                ch.connect(UnixDomainSocketAddress.of(UnixSocketPaths.shortPath(socket)));
                QmpClient qmp = new QmpClient(vmId, ch);
                qmp.readMessage();
                qmp.execute("qmp_capabilities");
                return qmp;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new HypervisorException(vmId, "qmp connect", "no QMP on " + socket + " within " + timeout + ": " + e.getMessage(), e);
                }
                sleep(50);
            }
        }
    }

    /** Runs a command without arguments; returns the answer's JSON or throws with QMP's error. */
    String execute(String command) throws IOException {
        return execute(command, null);
    }

    /** Runs a command; {@code argumentsJson} is the JSON object of its arguments, or null. */
    String execute(String command, String argumentsJson) throws IOException {
        String msg = "{\"execute\":\"" + command + "\"" + (argumentsJson == null ? "" : ",\"arguments\":" + argumentsJson) + "}\n";
        ByteBuffer out = ByteBuffer.wrap(msg.getBytes(StandardCharsets.UTF_8));
        while (out.hasRemaining()) channel.write(out);
        while (true) {
            String answer = readMessage();
            if (answer.contains("\"event\"")) continue;
            if (answer.contains("\"error\"")) throw new HypervisorException(vmId, "qmp " + command, answer, null);
            return answer;
        }
    }

    /** The VM's run state (running, paused, shutdown, inmigrate, ...). */
    String status() throws IOException {
        Matcher m = STATUS.matcher(execute("query-status"));
        if (!m.find()) throw new HypervisorException(vmId, "qmp query-status", "no status in the answer", null);
        return m.group(1);
    }

    private String readMessage() throws IOException {
        ByteBuffer in = ByteBuffer.allocate(8192);
        while (true) {
            int nl = pending.indexOf("\n");
            if (nl >= 0) {
                String line = pending.substring(0, nl).trim();
                pending.delete(0, nl + 1);
                if (!line.isEmpty()) return line;
                continue;
            }
            in.clear();
            if (channel.read(in) < 0) throw new IOException("QMP closed the connection");
            pending.append(new String(in.array(), 0, in.position(), StandardCharsets.UTF_8));
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing: nothing to do
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HypervisorException(null, "qmp", "interrupted", e);
        }
    }
}
