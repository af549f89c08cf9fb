package org.vcj.agent.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vcj.agent.client.testing.AgentProcess;
import org.vcj.agent.testing.BusyboxRootfs;
import org.vcj.agent.testing.HostRoutes;
import org.vcj.api.AgentException;
import org.vcj.api.Cmd;
import org.vcj.api.ContainerConfig;
import org.vcj.api.ContainerStats;
import org.vcj.api.Interface;
import org.vcj.api.LinuxResources;
import org.vcj.api.NotSupportedException;
import org.vcj.api.Process;
import org.vcj.api.Route;
import org.vcj.api.agent.Agent;

/** The client against a real agent process driving runc containers (needs root and runc). */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class GrpcAgentRuncTest {
    @TempDir
    static Path tmp;
    static GrpcAgentConnector connector;
    static AgentProcess agentProcess;
    static Agent agent;
    static Path rootfs;

    @BeforeAll
    static void start() throws Exception {
        rootfs = BusyboxRootfs.build(tmp.resolve("rootfs"));
        connector = new GrpcAgentConnector();
        // connect first: the socket does not exist yet, connect must retry until the agent serves
        CompletableFuture<Agent> connecting = CompletableFuture.supplyAsync(
                () -> connector.connect("sbc", "unix://" + tmp.resolve("vm/agent.sock"), Duration.ofSeconds(60)));
        Thread.sleep(300);
        agentProcess = AgentProcess.start(tmp.resolve("vm"));
        agent = connecting.get(90, TimeUnit.SECONDS);
        agent.createSandbox("sbc", "vcjclient", tmp.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        if (agent != null) {
            agent.destroySandbox();
            agent.close();
        }
        if (agentProcess != null) {
            agentProcess.close();
        }
        if (connector != null) {
            connector.deactivate();
        }
    }

    private static ContainerConfig config(String id, Cmd cmd) {
        return ContainerConfig.builder(id).rootFs(rootfs.toString()).cmd(cmd)
                .resources(new LinuxResources(64L << 20, null, null, null, null, 100L)).build();
    }

    private static String readAll(String cid, String exec, boolean stdout) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < 100; i++) {
            byte[] b = stdout ? agent.readStdout(cid, exec, 4096) : agent.readStderr(cid, exec, 4096);
            if (b.length == 0) {
                break;
            }
            out.writeBytes(b);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void checkAnswersVersion() {
        assertFalse(agent.check(Duration.ofSeconds(5)).isEmpty());
    }

    @Test
    void containerOutputAndExitCode() {
        agent.createContainer(config("c-echo", Cmd.builder("sh", "-c", "echo hi; hostname >&2; exit 3").build()));
        Process p = agent.startContainer("c-echo");
        assertEquals("c-echo", p.token());
        assertTrue(p.pid() > 0);
        assertEquals("hi\n", readAll("c-echo", "c-echo", true));
        assertEquals("vcjclient\n", readAll("c-echo", "c-echo", false));
        assertEquals(OptionalInt.of(3), agent.waitProcess("c-echo", "c-echo", Duration.ofSeconds(20)));
        agent.removeContainer("c-echo", Duration.ZERO);
    }

    @Test
    void theOciSpecAnnotationReachesTheAgentWhichRunsTheSpecsProcess() {
        String spec = "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\",\"-c\",\"hostname; echo from the spec\"],"
                + "\"env\":[\"PATH=/bin\"],\"cwd\":\"/\",\"user\":{\"uid\":0,\"gid\":0}},\"hostname\":\"spec-host\","
                + "\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"ipc\"},{\"type\":\"uts\"},{\"type\":\"mount\"}]}}";
        agent.createContainer(config("c-spec", Cmd.builder("echo", "the config's own command").build()).toBuilder()
                .annotations(java.util.Map.of(ContainerConfig.CONFIG_JSON_KEY, spec)).build());
        agent.startContainer("c-spec");
        assertEquals("spec-host\nfrom the spec\n", readAll("c-spec", "c-spec", true));
        assertEquals(OptionalInt.of(0), agent.waitProcess("c-spec", "c-spec", Duration.ofSeconds(20)));
        agent.removeContainer("c-spec", Duration.ZERO);
    }

    @Test
    void execStdinStatsAndSignal() {
        agent.createContainer(config("c-long", Cmd.builder("sleep", "60").build()));
        agent.startContainer("c-long");
        assertEquals(OptionalInt.empty(), agent.waitProcess("c-long", "c-long", Duration.ZERO));
        Process e = agent.execProcess("c-long", "e1", Cmd.builder("cat").interactive(true).build());
        assertEquals("e1", e.token());
        agent.writeStdin("c-long", "e1", "through stdin\n".getBytes(StandardCharsets.UTF_8));
        agent.closeStdin("c-long", "e1");
        assertEquals("through stdin\n", readAll("c-long", "e1", true));
        assertEquals(OptionalInt.of(0), agent.waitProcess("c-long", "e1", Duration.ofSeconds(20)));
        ContainerStats stats = agent.statsContainer("c-long");
        assertTrue(stats.cgroupStats() != null && stats.cgroupStats().pidsStats().current() >= 1, String.valueOf(stats));
        agent.signalProcess("c-long", "c-long", 9, false);
        assertEquals(OptionalInt.of(137), agent.waitProcess("c-long", "c-long", Duration.ofSeconds(20)));
        agent.removeContainer("c-long", Duration.ofSeconds(1));
    }

    @Test
    void networkAndMetricsCalls() throws Exception {
        List<Interface> interfaces = agent.listInterfaces();
        assertTrue(interfaces.stream().anyMatch(i -> i.name().equals("lo")), String.valueOf(interfaces));
        Set<String> routes = new TreeSet<>();
        for (Route r : agent.listRoutes()) routes.add(HostRoutes.of(r.dest(), r.gateway(), r.device()));
        assertEquals(HostRoutes.ipv4Main(), routes, "the routes the kernel has, through the client's conversion");
        assertFalse(agent.getMetrics().isEmpty());
    }

    @Test
    void aCommandThatCannotRunIsCommandNotRunnable() {
        agent.createContainer(config("c-none", Cmd.builder("nosuchcmd").build()));
        org.vcj.api.CommandNotRunnableException e = assertThrows(org.vcj.api.CommandNotRunnableException.class,
                () -> agent.startContainer("c-none"));
        assertEquals(org.vcj.api.CommandNotRunnableException.Reason.NOT_FOUND, e.reason());
        assertEquals(127, e.exitStatus());
        assertEquals("sbc", e.sandboxId());
        assertTrue(e.getMessage().startsWith("command 'nosuchcmd' not found in container c-none: no such executable in PATH "),
                e.getMessage());
        agent.removeContainer("c-none", Duration.ZERO);
        agent.createContainer(config("c-dir", Cmd.builder("/bin").build()));
        e = assertThrows(org.vcj.api.CommandNotRunnableException.class, () -> agent.startContainer("c-dir"));
        assertEquals(126, e.exitStatus());
        agent.removeContainer("c-dir", Duration.ZERO);
    }

    @Test
    void agentErrorsAreTyped() {
        AgentException e = assertThrows(AgentException.class, () -> agent.startContainer("nope"));
        assertEquals("NOT_FOUND", e.remoteCode());
        assertEquals("StartContainer", e.operation());
        assertEquals("sbc", e.sandboxId());
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }

    @Test
    void connectTimesOutOnMissingSocket() {
        long t = System.nanoTime();
        AgentException e = assertThrows(AgentException.class,
                () -> connector.connect("sbx", "unix://" + tmp.resolve("none.sock"), Duration.ofMillis(500)));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t);
        assertTrue(ms >= 450 && ms < 5000, "took " + ms + " ms");
        assertNull(e.remoteCode());
        assertEquals("connect", e.operation());
        assertThrows(NotSupportedException.class, () -> connector.connect("sbx", "vsock://3:1024", Duration.ofMillis(10)));
    }

    @Test
    void closedAgentRefusesCalls() throws Exception {
        Agent second = connector.connect("sbc", agentProcess.address(), Duration.ofSeconds(10));
        second.close();
        AgentException e = assertThrows(AgentException.class, second::listRoutes);
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertEquals(HostRoutes.ipv4Main().size(), agent.listRoutes().size(), "the other connection is unaffected");
    }
}
