package org.vcj.agent.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vcj.agent.client.testing.AgentProcess;
import org.vcj.api.AgentException;
import org.vcj.api.InvalidConfigException;
import org.vcj.api.agent.Agent;

/**
 * The QEMU virtio-serial case: the socket exists and accepts connections before the guest agent
 * answers. connect must give up on silent attempts and succeed once a real agent serves.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConnectRetryTest {
    @TempDir
    Path tmp;
    private final GrpcAgentConnector connector = new GrpcAgentConnector();
    private final List<SocketChannel> accepted = java.util.Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void tearDown() {
        connector.deactivate();
    }

    private ServerSocketChannel silentListener(Path sock) throws Exception {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(sock));
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    accepted.add(server.accept()); // accept, never answer
                }
            } catch (Exception closed) {
                // listener closed
            }
        });
        t.setDaemon(true);
        t.start();
        return server;
    }

    @Test
    void silentSocketTimesOut() throws Exception {
        Path sock = tmp.resolve("silent.sock");
        try (ServerSocketChannel server = silentListener(sock)) {
            long t = System.nanoTime();
            AgentException e = assertThrows(AgentException.class,
                    () -> connector.connect("sbs", "unix://" + sock, Duration.ofMillis(1500)));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t);
            assertTrue(ms >= 1400 && ms < 6000, "took " + ms + " ms");
            assertTrue(e.getMessage().contains("no healthy agent"), e.getMessage());
        }
    }

    @Test
    void silentSocketThenRealAgent() throws Exception {
        Path dir = tmp.resolve("vm");
        Files.createDirectories(dir);
        Path sock = dir.resolve("agent.sock");
        ServerSocketChannel server = silentListener(sock);
        CompletableFuture<Agent> connecting = CompletableFuture.supplyAsync(
                () -> connector.connect("sbs", "unix://" + sock, Duration.ofSeconds(60)));
        Thread.sleep(1500);
        assertFalse(connecting.isDone());
        server.close();
        for (SocketChannel c : List.copyOf(accepted)) {
            c.close();
        }
        Files.deleteIfExists(sock);
        try (AgentProcess agent = AgentProcess.start(dir)) {
            try (Agent a = connecting.get(90, TimeUnit.SECONDS)) {
                assertFalse(a.check(Duration.ofSeconds(5)).isEmpty());
                assertTrue(a.listInterfaces().stream().anyMatch(i -> i.name().equals("lo")));
            }
        }
    }

    /**
     * The policy the core relies on (it hands over its whole wait, AgentSessions): given a long wait, the first
     * health check of a silent agent is given the full first attempt, and the VM check runs before every attempt
     * and can end the wait.
     */
    @Test
    void theFirstAttemptGetsItsFullLengthAndTheVmCheckEndsTheWait() throws Exception {
        Path sock = tmp.resolve("policy.sock");
        List<Long> checks = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ServerSocketChannel server = silentListener(sock)) {
            long t0 = System.nanoTime();
            IllegalStateException gone = assertThrows(IllegalStateException.class,
                    () -> connector.connect("sbs", "unix://" + sock, Duration.ofSeconds(120), () -> {
                        checks.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                        if (checks.size() == 2) throw new IllegalStateException("the VM is gone");
                    }));
            assertEquals("the VM is gone", gone.getMessage());
            assertEquals(2, checks.size(), "checked before the first attempt, ended before the second");
            long firstAttempt = checks.get(1) - checks.get(0);
            assertTrue(firstAttempt >= GrpcAgentConnector.MIN_ATTEMPT_SECONDS * 1000L - 100
                    && firstAttempt < GrpcAgentConnector.MAX_ATTEMPT_SECONDS * 1000L + 2000,
                    "the first attempt lasted " + firstAttempt + " ms");
        }
    }

    @Test
    void badAddressesAreRefused() {
        assertEquals("agent address", assertThrows(InvalidConfigException.class,
                () -> connector.connect("sbs", "tcp://1.2.3.4:5", Duration.ofMillis(10))).field());
        assertThrows(InvalidConfigException.class, () -> connector.connect("sbs", "unix://relative.sock", Duration.ofMillis(10)));
    }
}
