package org.vcj.agent;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vcj.agent.internal.AgentOptions;
import org.vcj.agent.internal.AgentServer;
import org.vcj.agent.protocol.CheckRequest;
import org.vcj.agent.protocol.HealthCheckResponse;
import org.vcj.agent.protocol.ListInterfacesRequest;
import org.vcj.agent.testing.AgentTestClient;

/**
 * The --serial bridge over a pseudo-terminal standing in for the virtio-serial port:
 * socat links a pty (raw) to a host Unix socket (fork: one child per host connection, the pty
 * stays open), the agent bridges the pty to its gRPC server.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SerialBridgeTest {
    @TempDir
    Path tmp;

    @Test
    void grpcThroughSerialPortAcrossReconnects() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/socat")), "socat not installed");
        Path port = tmp.resolve("port");
        Path host = tmp.resolve("host.sock");
        Process socat = new ProcessBuilder("socat", "-t0.05", "pty,raw,echo=0,link=" + port, "unix-listen:" + host + ",fork")
                .redirectErrorStream(true).start();
        try {
            for (int i = 0; i < 100 && !(Files.exists(port) && Files.exists(host)); i++) {
                Thread.sleep(50);
            }
            assertTrue(Files.exists(port) && Files.exists(host), "socat created the pty and socket");
            try (AgentServer agent = AgentMain.start(AgentOptions.parse("--serial=" + port,
                    "--state-dir=" + tmp.resolve("state"), "--oci-runtime=runc"), System.nanoTime())) {
                // two host sessions one after the other (a runtime restart): the pty stays open
                for (int session = 0; session < 2; session++) {
                    // socat's child for the previous host connection keeps reading the pty until it
                    // exits (-t); only one host may read the port at a time, as with a QEMU chardev
                    Thread.sleep(session == 0 ? 0 : 500);
                    try (AgentTestClient client = new AgentTestClient(host)) {
                        assertEquals(HealthCheckResponse.ServingStatus.SERVING,
                                client.health().check(CheckRequest.getDefaultInstance()).getStatus());
                        assertTrue(client.agent().listInterfaces(ListInterfacesRequest.getDefaultInstance())
                                .getInterfacesCount() > 0);
                    }
                }
            }
        } finally {
            socat.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
