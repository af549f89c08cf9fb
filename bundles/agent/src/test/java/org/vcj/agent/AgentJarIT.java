package org.vcj.agent;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vcj.agent.protocol.*;
import org.vcj.agent.testing.AgentTestClient;
import org.vcj.agent.testing.BusyboxRootfs;

/** The shaded jar as a separate process: serves, runs a container, stops on SIGTERM. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AgentJarIT {
    @TempDir
    Path tmp;

    @Test
    void jarServesAndStopsOnSigterm() throws Exception {
        Path jar = Path.of(System.getProperty("vcj.agent.jar", "target/vcj-agent.jar"));
        Path sock = tmp.resolve("agent.sock");
        Path rootfs = BusyboxRootfs.build(tmp.resolve("rootfs"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process agent = new ProcessBuilder(java.toString(), "-jar", jar.toString(), "--listen=unix://" + sock,
                "--oci-runtime=runc", "--state-dir=" + tmp.resolve("state"))
                .redirectErrorStream(true).redirectOutput(tmp.resolve("agent.log").toFile()).start();
        try (AgentTestClient client = new AgentTestClient(sock)) {
            for (int i = 0; i < 300 && !Files.exists(sock); i++) {
                Thread.sleep(50);
            }
            VersionCheckResponse v = client.health().version(CheckRequest.getDefaultInstance());
            assertEquals("runc", v.getOciRuntime());
            assertTrue(v.getStartupMillis() > 0 && v.getStartupMillis() < 30_000, v.toString());
            System.out.println("agent jar startup_millis=" + v.getStartupMillis());
            client.agent().createSandbox(CreateSandboxRequest.newBuilder().setSandboxId("jar-it").build());
            client.agent().createContainer(CreateContainerRequest.newBuilder().setContainerId("c1")
                    .setRootfs(rootfs.toString()).setCmd(Cmd.newBuilder().addAllArgs(List.of("sleep", "300"))).build());
            int pid = client.agent().startContainer(StartContainerRequest.newBuilder().setContainerId("c1").build()).getPid();
            assertTrue(ProcessHandle.of(pid).isPresent());
            agent.destroy(); // SIGTERM: the agent kills and deletes its containers
            assertTrue(agent.waitFor(20, TimeUnit.SECONDS), "agent stopped within 20 s");
            assertEquals(0, agent.exitValue(), "exit code after SIGTERM");
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "container killed on SIGTERM");
            assertFalse(Files.exists(sock), "socket removed");
            assertFalse(Files.exists(Path.of("/sys/fs/cgroup/memory/vcj/jar-it")), "sandbox cgroup (v1) removed");
            assertFalse(Files.exists(Path.of("/sys/fs/cgroup/vcj/jar-it")), "sandbox cgroup (v2) removed");
            assertTrue(Files.readString(tmp.resolve("agent.log")).contains("agent stopped"));
        } finally {
            agent.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** In a fresh network namespace (unshare -n -m): configure lo and a route through the agent. */
    @Test
    void updatesInterfaceAndRoutesInOwnNetns() throws Exception {
        Path jar = Path.of(System.getProperty("vcj.agent.jar", "target/vcj-agent.jar"));
        Path sock = tmp.resolve("net.sock");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // a private mount namespace with its own sysfs, so /sys/class/net shows the new netns
        Process agent = new ProcessBuilder("unshare", "-n", "-m", "sh", "-c", "mount -t sysfs sysfs /sys && exec \"$0\" \"$@\"",
                java.toString(), "-jar", jar.toString(),
                "--listen=unix://" + sock, "--oci-runtime=runc", "--state-dir=" + tmp.resolve("nstate"))
                .redirectErrorStream(true).redirectOutput(tmp.resolve("net.log").toFile()).start();
        try (AgentTestClient client = new AgentTestClient(sock)) {
            for (int i = 0; i < 300 && !Files.exists(sock); i++) {
                Thread.sleep(50);
            }
            Interface lo = client.agent().listInterfaces(ListInterfacesRequest.getDefaultInstance()).getInterfaces(0);
            assertEquals("lo", lo.getName());
            assertEquals(0, lo.getIpAddressesCount(), "a new netns has lo down without addresses");
            Interface done = client.agent().updateInterface(UpdateInterfaceRequest.newBuilder().setInterface(
                    Interface.newBuilder().setDevice("lo").setMtu(1500).addIpAddresses(IPAddress.newBuilder()
                            .setFamily(2).setAddress("127.0.0.1").setMask("8"))).build());
            assertEquals(1500, done.getMtu());
            assertTrue(done.getIpAddressesList().stream().anyMatch(a -> a.getAddress().equals("127.0.0.1")
                    && a.getMask().equals("8")), done.toString());
            assertEquals(1, done.getRawFlags() & 1, "IFF_UP");
            Routes routes = client.agent().updateRoutes(UpdateRoutesRequest.newBuilder().setRoutes(Routes.newBuilder()
                    .addRoutes(Route.newBuilder().setDest("10.9.0.0/16").setDevice("lo"))).build());
            assertTrue(routes.getRoutesList().stream().anyMatch(r -> r.getDest().equals("10.9.0.0/16")
                    && r.getDevice().equals("lo")), routes.toString());
            assertEquals(io.grpc.Status.Code.NOT_FOUND, assertThrows(io.grpc.StatusRuntimeException.class,
                    () -> client.agent().updateInterface(UpdateInterfaceRequest.newBuilder().setInterface(
                            Interface.newBuilder().setDevice("eth9")).build())).getStatus().getCode());
        } finally {
            agent.destroy();
            agent.waitFor(20, TimeUnit.SECONDS);
            agent.destroyForcibly();
        }
    }
}
