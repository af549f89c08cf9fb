package org.vcj.agent.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vcj.agent.protocol.Cmd;
import org.vcj.agent.protocol.CreateContainerRequest;
import org.vcj.agent.protocol.Mount;

/** The caller's OCI spec adapted to the guest and to the mock's host: what is rewritten, dropped and kept. */
class OciSpecAdapterTest {
    private static final String SPEC = "{\"ociVersion\":\"1.1.0\",\"process\":{\"terminal\":true,\"args\":[\"sh\"],"
            + "\"apparmorProfile\":\"cri-containerd.apparmor.d\",\"selinuxLabel\":\"x\",\"noNewPrivileges\":true,"
            + "\"user\":{\"uid\":1000,\"gid\":1000,\"additionalGids\":[5,6]}},\"root\":{\"path\":\"/host/rootfs\",\"readonly\":true},"
            + "\"hostname\":\"pod\",\"hooks\":{\"prestart\":[{\"path\":\"/usr/bin/hook\"}]},"
            + "\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"},"
            + "{\"destination\":\"/dev/shm\",\"type\":\"bind\",\"source\":\"/run/containerd/sb/shm\",\"options\":[\"rbind\"]},"
            + "{\"destination\":\"/etc/hosts\",\"type\":\"bind\",\"source\":\"/var/lib/cri/hosts\",\"options\":[\"rbind\",\"rshared\"]},"
            + "{\"destination\":\"/run\",\"type\":\"tmpfs\",\"source\":\"tmpfs\",\"options\":[\"nosuid\"]}],"
            + "\"linux\":{\"cgroupsPath\":\"kubepods-x.slice:cri:abc\",\"mountLabel\":\"m\",\"intelRdt\":{},"
            + "\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"ipc\",\"path\":\"/proc/77/ns/ipc\"},{\"type\":\"uts\",\"path\":\"/proc/77/ns/uts\"},"
            + "{\"type\":\"mount\"},{\"type\":\"network\",\"path\":\"/var/run/netns/cni-1\"}],"
            + "\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\","
            + "\"args\":[{\"index\":0,\"value\":18446744073709551615,\"op\":\"SCMP_CMP_EQ\"}]}]},"
            + "\"maskedPaths\":[\"/proc/kcore\"],\"readonlyPaths\":[\"/proc/sys\"],\"rootfsPropagation\":\"rshared\","
            + "\"sysctl\":{\"net.ipv4.ip_forward\":\"1\"}},"
            + "\"annotations\":{\"io.kubernetes.cri.sandbox-id\":\"sb\"}}";

    private static CreateContainerRequest request() {
        return CreateContainerRequest.newBuilder().setContainerId("c1").setRootfs("/run/vcj/shared/c1/rootfs")
                .setCmd(Cmd.newBuilder().addArgs("sh").setTerminal(false))
                .addMounts(Mount.newBuilder().setSource("/run/vcj/shared/c1-hosts").setDestination("/etc/hosts")
                        .setType("bind").addOptions("rbind").addOptions("rshared"))
                .setOciSpec(SPEC).build();
    }

    private static Object adapt(boolean guest, Integer podPid) {
        return JsonReader.parse(OciSpecAdapter.config(request(),
                new OciSpecAdapter.Target("sbx", "sandbox-host", guest, id -> id.equals("sb") ? podPid : null)));
    }

    @Test
    void inTheGuestPathsAreTheGuestsAndTheNetworkTheVms() {
        Object c = adapt(true, 4321);
        assertEquals("/run/vcj/shared/c1/rootfs", JsonReader.at(c, "root", "path"));
        assertEquals(Boolean.TRUE, JsonReader.at(c, "root", "readonly"));
        assertEquals("/vcj/sbx/c1", JsonReader.at(c, "linux", "cgroupsPath"));
        assertEquals(List.of(Map.of("type", "pid"), Map.of("type", "ipc", "path", "/proc/4321/ns/ipc"),
                Map.of("type", "uts", "path", "/proc/4321/ns/uts"), Map.of("type", "mount"),
                Map.of("type", "network", "path", "/proc/" + ProcessHandle.current().pid() + "/ns/net")),
                JsonReader.at(c, "linux", "namespaces"), "the pod's IPC/UTS, the VM's network (the agent's)");
        assertNull(JsonReader.at(c, "hostname"), "a joined UTS namespace: the pod's hostname, none set");
        assertNull(JsonReader.at(c, "hooks"));
        assertNull(JsonReader.at(c, "linux", "mountLabel"));
        assertNull(JsonReader.at(c, "linux", "intelRdt"));
        assertNull(JsonReader.at(c, "process", "apparmorProfile"));
        assertNull(JsonReader.at(c, "process", "selinuxLabel"));
        assertEquals(Boolean.FALSE, JsonReader.at(c, "process", "terminal"), "the request's terminal");
        assertEquals(List.of(5L, 6L), JsonReader.at(c, "process", "user", "additionalGids"));
        assertEquals(new java.math.BigDecimal("18446744073709551615"),
                ((Map<?, ?>) ((List<?>) ((Map<?, ?>) ((List<?>) JsonReader.at(c, "linux", "seccomp", "syscalls")).get(0))
                        .get("args")).get(0)).get("value"), "a seccomp value beyond a long, exact");
        assertEquals(List.of("/proc/kcore"), JsonReader.at(c, "linux", "maskedPaths"));
        assertEquals("rshared", JsonReader.at(c, "linux", "rootfsPropagation"));
        assertEquals(Map.of("net.ipv4.ip_forward", "1"), JsonReader.at(c, "linux", "sysctl"));
        List<?> mounts = (List<?>) JsonReader.at(c, "mounts");
        Map<String, Map<?, ?>> byDest = new java.util.LinkedHashMap<>();
        mounts.forEach(m -> byDest.put((String) ((Map<?, ?>) m).get("destination"), (Map<?, ?>) m));
        assertEquals("/run/vcj/shared/c1-hosts", byDest.get("/etc/hosts").get("source"), "the request's guest path");
        assertEquals(List.of("rbind", "rshared"), byDest.get("/etc/hosts").get("options"));
        assertEquals("tmpfs", byDest.get("/dev/shm").get("type"), "the host's shm bind gives way to the agent's own");
        assertEquals("tmpfs", byDest.get("/run").get("type"));
        assertTrue(byDest.keySet().containsAll(List.of("/proc", "/dev", "/dev/pts", "/sys")), byDest.keySet().toString());
        assertEquals(List.of("/dev", "/dev/pts"), byDest.keySet().stream().filter(d -> d.startsWith("/dev/p") || d.equals("/dev")).toList());
    }

    @Test
    void onTheHostTheNetworkNamespaceIsKeptAndAnUnknownPodGetsNewNamespaces() {
        Object c = adapt(false, null);
        assertEquals(List.of(Map.of("type", "pid"), Map.of("type", "ipc"), Map.of("type", "uts"), Map.of("type", "mount"),
                Map.of("type", "network", "path", "/var/run/netns/cni-1")), JsonReader.at(c, "linux", "namespaces"));
        assertEquals("pod", JsonReader.at(c, "hostname"), "its own UTS namespace: the spec's hostname");
    }
}
