package org.vcj.agent.client.it;

import org.vcj.testing.FelixHarness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vcj.agent.client.testing.AgentProcess;

/**
 * The built bundle (grpc embedded) inside Felix + SCR: the AgentConnector service dials a real agent
 * process (runc) on a Unix socket and round-trips RPCs; a refused call surfaces as the api's AgentException.
 */
class AgentClientFelixIT {
    private static final String CONNECTOR = "org.vcj.api.agent.AgentConnector";
    private static final String AGENT = "org.vcj.api.agent.Agent";

    @Test
    @Timeout(180)
    void connectorRoundTripsInFelix(@TempDir Path tmp) throws Throwable {
        List<String> jars = List.of("it.jar.osgi.service.component", "it.jar.osgi.util.function", "it.jar.osgi.util.promise",
                "it.jar.scr", "it.jar.api", "it.jar.bundle");
        try (AgentProcess agentProcess = AgentProcess.start(tmp.resolve("vm"));
             FelixHarness felix = FelixHarness.start(tmp.resolve("cache"), Map.of(), jars)) {
            Object connector = felix.service(CONNECTOR, null, Duration.ofSeconds(30));
            Object agent = felix.call(connector, CONNECTOR, "connect", new Class<?>[] {String.class, String.class, Duration.class},
                    "sbf", agentProcess.address(), Duration.ofSeconds(60));
            try {
                String version = (String) felix.call(agent, AGENT, "check", new Class<?>[] {Duration.class}, Duration.ofSeconds(10));
                assertFalse(version.isEmpty());
                felix.call(agent, AGENT, "createSandbox", new Class<?>[] {String.class, String.class, String.class},
                        "sbf", "felixhost", tmp.toString());
                List<?> interfaces = (List<?>) felix.call(agent, AGENT, "listInterfaces", new Class<?>[0]);
                assertTrue(interfaces.stream().anyMatch(i -> name(i).equals("lo")), String.valueOf(interfaces));
                Throwable e = assertThrows(Throwable.class, () -> felix.call(agent, AGENT, "startContainer",
                        new Class<?>[] {String.class}, "missing-container"));
                assertEquals("org.vcj.api.AgentException", e.getClass().getName(), String.valueOf(e));
                assertEquals("NOT_FOUND", e.getClass().getMethod("remoteCode").invoke(e));
                assertEquals("StartContainer", e.getClass().getMethod("operation").invoke(e));
                felix.call(agent, AGENT, "destroySandbox", new Class<?>[0]);
            } finally {
                felix.call(agent, AGENT, "close", new Class<?>[0]);
            }
        }
    }

    private static String name(Object iface) {
        try {
            Method m = iface.getClass().getMethod("name");
            return (String) m.invoke(iface);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
