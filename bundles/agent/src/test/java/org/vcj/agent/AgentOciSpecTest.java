package org.vcj.agent;

import static org.junit.jupiter.api.Assertions.*;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vcj.agent.internal.JsonWriter;
import org.vcj.agent.protocol.*;
import org.vcj.agent.testing.BusyboxRootfs;
import org.vcj.agent.testing.RuncAgentSandbox;

/**
 * The caller's whole OCI spec through the agent (CreateContainerRequest.oci_spec) to real runc on the host, as on
 * the mock hypervisor: what the spec asks is what the container gets (needs root).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AgentOciSpecTest {
    private static final List<String> CAPS = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_SETGID",
            "CAP_SETUID", "CAP_KILL", "CAP_SYS_CHROOT");

    @TempDir
    static Path tmp;
    static Path rootfs;
    static RuncAgentSandbox agent;

    @BeforeAll
    static void startAgent() throws Exception {
        rootfs = BusyboxRootfs.build(tmp.resolve("rootfs"));
        for (String applet : List.of("ip", "readlink", "chmod")) {
            Files.createSymbolicLink(rootfs.resolve("bin").resolve(applet), Path.of("busybox"));
        }
        Files.writeString(rootfs.resolve("etc/secret"), "secret\n");
        Files.createDirectories(rootfs.resolve("ro"));
        agent = RuncAgentSandbox.start(tmp, "sbo" + ProcessHandle.current().pid(), "sandbox-host");
    }

    @AfterAll
    static void stop() throws Exception {
        if (agent != null) {
            agent.close();
        }
    }

    /** A spec as containerd writes one, with the given linux extras (JSON members) and annotations. */
    static String spec(String script, String linuxExtra, String annotations, String... caps) {
        JsonWriter w = new JsonWriter().beginObject(null).value("ociVersion", "1.1.0");
        w.beginObject("process").value("terminal", false).beginObject("user").value("uid", 0).value("gid", 0).endObject()
                .strings("args", List.of("sh", "-c", script)).strings("env", List.of("PATH=/bin")).value("cwd", "/");
        List<String> all = new java.util.ArrayList<>(CAPS);
        all.addAll(List.of(caps));
        w.beginObject("capabilities").strings("bounding", all).strings("effective", all).strings("permitted", all)
                .endObject().value("noNewPrivileges", true).value("apparmorProfile", "cri-containerd.apparmor.d")
                .beginArray("rlimits").beginObject(null).value("type", "RLIMIT_NOFILE").value("hard", 321)
                .value("soft", 321).endObject().endArray().endObject();
        w.beginObject("root").value("path", "/the/host/bundle/rootfs").endObject().value("hostname", "spec-host");
        w.beginArray("mounts").beginObject(null).value("destination", "/proc").value("type", "proc").value("source", "proc")
                .endObject().beginObject(null).value("destination", "/dev/shm").value("type", "bind")
                .value("source", "/run/containerd/no/such/shm").strings("options", List.of("rbind", "rw")).endObject()
                .endArray();
        // a hook that fails: were it kept, it would fail the container's creation
        w.beginObject("hooks").beginArray("createRuntime").beginObject(null).value("path", "/bin/false").endObject()
                .endArray().endObject();
        String head = w.toString();
        return head + ",\"linux\":{\"cgroupsPath\":\"/host/kubepods/x\",\"mountLabel\":\"system_u:object_r:x\","
                + "\"resources\":{\"devices\":[{\"allow\":false,\"access\":\"rwm\"}]}" + linuxExtra + "},"
                + "\"annotations\":{" + annotations + "}}";
    }

    static final String NAMESPACES = ",\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"ipc\"},{\"type\":\"uts\"},"
            + "{\"type\":\"mount\"},{\"type\":\"network\"}]";

    static Cmd cmd(String script) {
        return Cmd.newBuilder().addArgs("sh").addArgs("-c").addArgs(script).build();
    }

    /** Creates the container; its request's own command is a decoy: the spec's process runs. */
    static void create(String cid, String spec) {
        agent.client().agent().createContainer(CreateContainerRequest.newBuilder().setContainerId(cid)
                .setRootfs(rootfs.toString()).setCmd(cmd("echo the request's command; exit 9")).setOciSpec(spec).build());
    }

    /** Runs the container to its end; its stdout, after checking it exited 0. */
    static String run(String cid, String spec) {
        create(cid, spec);
        try {
            agent.client().agent().startContainer(StartContainerRequest.newBuilder().setContainerId(cid).build());
            String out = agent.client().readAllStdout(cid, "", 20_000);
            WaitProcessResponse w = agent.client().agent().waitProcess(WaitProcessRequest.newBuilder().setContainerId(cid)
                    .setTimeoutMillis(20_000).build());
            assertTrue(w.getExited(), cid + " exited");
            assertEquals(0, w.getStatus(), cid + " output: " + out);
            return out;
        } finally {
            agent.client().agent().removeContainer(RemoveContainerRequest.newBuilder().setContainerId(cid).build());
        }
    }

    @Test
    void maskedReadOnlySysctlsRlimitsAndHostnameAreTheSpecs() {
        String linux = NAMESPACES + ",\"maskedPaths\":[\"/etc/secret\"],\"readonlyPaths\":[\"/ro\"],"
                + "\"sysctl\":{\"kernel.shm_rmid_forced\":\"1\",\"net.ipv4.ip_forward\":\"1\"}";
        String out = run("c-spec", spec("cat /etc/secret | wc -c; touch /ro/x 2>&1 || echo ro-refused;"
                + " cat /proc/sys/kernel/shm_rmid_forced /proc/sys/net/ipv4/ip_forward; ulimit -n; hostname", linux, ""));
        List<String> lines = out.lines().map(String::trim).toList();
        assertEquals("0", lines.get(0), "the masked path reads empty: " + out);
        assertTrue(lines.get(1).contains("Read-only file system"), "the read-only path refuses writes: " + out);
        assertEquals(List.of("ro-refused", "1", "1", "321", "spec-host"), lines.subList(2, 7), out);
    }

    @Test
    void aSeccompProfileForbidsWhatItDenies() {
        String seccomp = ",\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_X86_64\"],"
                + "\"syscalls\":[{\"names\":[\"mkdir\",\"mkdirat\",\"chmod\",\"fchmodat\",\"fchmod\"],"
                + "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":1}]}";
        String out = run("c-seccomp", spec("mkdir /tmp/d 2>&1; chmod 600 /etc/passwd 2>&1; echo allowed > /tmp/f;"
                + " cat /tmp/f", NAMESPACES + seccomp, ""));
        assertEquals(List.of("mkdir: can't create directory '/tmp/d': Operation not permitted",
                "chmod: /etc/passwd: Operation not permitted", "allowed"), out.lines().toList());
        assertFalse(Files.exists(rootfs.resolve("tmp/d")));
    }

    @Test
    void netAdminInItsOwnNetworkNamespaceMakesABridgeAndAVethPair() {
        String out = run("c-netadmin", spec("ip link add br0 type bridge && ip link add v0 type veth"
                + " && ip link set v0 master br0 && ip -o link show | cut -d: -f2", NAMESPACES, "", "CAP_NET_ADMIN"));
        List<String> links = out.lines().map(String::trim).toList();
        assertTrue(links.containsAll(List.of("br0", "v0@veth0", "veth0@v0")), out);
    }

    @Test
    void aContainerOfAPodJoinsTheSandboxContainersIpcAndUtsNamespaces() throws Exception {
        String pod = "pod-sb";
        create(pod, spec("sleep 60", NAMESPACES, "\"io.kubernetes.cri.sandbox-id\":\"" + pod + "\""));
        try {
            int pid = agent.client().agent().startContainer(StartContainerRequest.newBuilder().setContainerId(pod).build()).getPid();
            String joined = ",\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"ipc\",\"path\":\"/proc/4242424/ns/ipc\"},"
                    + "{\"type\":\"uts\",\"path\":\"/proc/4242424/ns/uts\"},{\"type\":\"mount\"},{\"type\":\"network\"}]";
            String out = run("pod-c1", spec("readlink /proc/self/ns/ipc; readlink /proc/self/ns/uts; hostname", joined,
                    "\"io.kubernetes.cri.sandbox-id\":\"" + pod + "\""));
            String ipc = Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/ipc")).toString();
            String uts = Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/uts")).toString();
            assertEquals(List.of(ipc, uts, "spec-host"), out.lines().toList(), "the pod's IPC and UTS namespaces");
            assertNotEquals(Files.readSymbolicLink(Path.of("/proc/self/ns/ipc")).toString(), ipc, "not the host's");
        } finally {
            agent.client().agent().removeContainer(RemoveContainerRequest.newBuilder().setContainerId(pod).build());
        }
    }

    @Test
    void aSysctlThatIsNotNamespacedIsRefusedAndNothingIsMade() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> create("c-panic",
                spec("true", NAMESPACES + ",\"sysctl\":{\"kernel.panic\":\"5\"}", "")));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("sysctl kernel.panic of container c-panic is not namespaced"),
                e.getStatus().getDescription());
        assertFalse(Files.exists(agent.stateDir().resolve("bundles/c-panic")), "no bundle");
        String noNet = ",\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"mount\"}],\"sysctl\":{\"net.ipv4.ip_forward\":\"1\"}";
        e = assertThrows(StatusRuntimeException.class, () -> create("c-hostnet", spec("true", noNet, "")));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("not allowed in the host's network namespace"),
                e.getStatus().getDescription());
        e = assertThrows(StatusRuntimeException.class, () -> create("c-json", "{\"process\":"));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().startsWith("the OCI spec of container c-json is not valid JSON"),
                e.getStatus().getDescription());
    }
}
