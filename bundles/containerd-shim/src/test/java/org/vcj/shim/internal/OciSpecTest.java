package org.vcj.shim.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.vcj.api.ContainerConfig;
import org.vcj.api.EnvVar;

class OciSpecTest {
    @TempDir
    Path bundle;

    @Test
    void mapsProcessUserMountsResourcesAndPodAnnotations() throws Exception {
        Files.writeString(bundle.resolve("config.json"), """
                {"ociVersion":"1.0.2","process":{"terminal":true,"user":{"uid":1000,"gid":100,"additionalGids":[10]},
                 "args":["sh","-c","echo hi"],"env":["PATH=/bin","A=b=c"],"cwd":"/work","noNewPrivileges":true,
                 "capabilities":{"bounding":["CAP_KILL"],"effective":["CAP_KILL"],"permitted":["CAP_KILL"]}},
                 "root":{"path":"rootfs","readonly":true},
                 "mounts":[{"destination":"/proc","type":"proc","source":"proc"},
                           {"destination":"/data","type":"bind","source":"/srv/data","options":["rbind","ro"]},
                           {"destination":"/scratch","type":"tmpfs","source":"tmpfs","options":["size=1m"]}],
                 "annotations":{"io.kubernetes.cri.container-type":"container","io.kubernetes.cri.sandbox-id":"pod1"},
                 "linux":{"resources":{"memory":{"limit":16777216},"cpu":{"shares":512,"cpus":"0-1"},"pids":{"limit":64}}}}
                """);
        OciSpec spec = OciSpec.read(bundle);
        assertEquals("pod1", spec.joinedSandbox());
        ContainerConfig c = spec.container("c1", bundle.resolve("rootfs"));
        assertEquals(List.of("sh", "-c", "echo hi"), c.cmd().args());
        assertEquals(List.of(new EnvVar("PATH", "/bin"), new EnvVar("A", "b=c")), c.cmd().envs());
        assertEquals("/work", c.cmd().workDir());
        assertEquals("1000", c.cmd().user());
        assertEquals("100", c.cmd().primaryGroup());
        assertEquals(List.of("10"), c.cmd().supplementaryGroups());
        assertTrue(c.cmd().terminal() && c.cmd().noNewPrivileges() && c.readonlyRootfs());
        assertEquals(List.of("CAP_KILL"), c.cmd().capabilities().bounding());
        assertEquals(2, c.mounts().size(), "proc is the agent's: " + c.mounts());
        assertTrue(c.mounts().get(0).isBind() && c.mounts().get(0).readOnly() && c.mounts().get(0).source().equals("/srv/data"));
        assertEquals("tmpfs", c.mounts().get(1).type());
        assertEquals(16777216L, c.resources().memoryLimit());
        assertEquals(512L, c.resources().cpuShares());
        assertEquals("0-1", c.resources().cpusetCpus());
        assertEquals(64L, c.resources().pidsLimit());
    }

    @Test
    void aPlainContainerIsItsOwnSandboxAndNeedsArgs() throws Exception {
        Files.writeString(bundle.resolve("config.json"), "{\"process\":{\"args\":[]},\"annotations\":{\"io.kubernetes.cri.container-type\":\"sandbox\"}}");
        OciSpec spec = OciSpec.read(bundle);
        assertNull(spec.joinedSandbox());
        TaskException e = assertThrows(TaskException.class, () -> spec.container("c", bundle.resolve("rootfs")));
        assertEquals(TaskException.INVALID_ARGUMENT, e.code());
    }

    @Test
    void aMissingSpecIsAnInvalidArgumentNamingTheFile() {
        TaskException e = assertThrows(TaskException.class, () -> OciSpec.read(bundle));
        assertEquals(TaskException.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains(bundle.resolve("config.json").toString()), e.getMessage());
    }

    @Test
    void thePodsNetworkNamespaceAndHostnameAreRead() throws Exception {
        Files.writeString(bundle.resolve("config.json"), """
                {"process":{"args":["pause"]},"hostname":"web-1",
                 "linux":{"namespaces":[{"type":"pid"},{"type":"network","path":"/var/run/netns/cni-1234"},{"type":"uts"}]}}
                """);
        OciSpec spec = OciSpec.read(bundle);
        assertEquals("/var/run/netns/cni-1234", spec.networkNamespace());
        assertEquals("web-1", spec.hostname());
        Files.writeString(bundle.resolve("config.json"), """
                {"process":{"args":["sh"]},"linux":{"namespaces":[{"type":"network"}]}}
                """);
        assertEquals("", OciSpec.read(bundle).networkNamespace(), "a new namespace: no path");
        assertEquals("", OciSpec.read(bundle).hostname());
        Files.writeString(bundle.resolve("config.json"), "{\"process\":{\"args\":[\"sh\"]},\"linux\":{\"namespaces\":[{\"type\":\"pid\"}]}}");
        assertEquals("", OciSpec.read(bundle).networkNamespace(), "a host-network pod names none");
    }

    @Test
    void theHostsOwnNetworkNamespaceIsRecognised() {
        assertTrue(PodSandboxes.isHostNamespace("/proc/self/ns/net"));
        assertTrue(PodSandboxes.isHostNamespace("/proc/" + ProcessHandle.current().pid() + "/ns/net"));
        assertTrue(!PodSandboxes.isHostNamespace(""));
        assertTrue(!PodSandboxes.isHostNamespace("/nonexistent/netns"));
    }
}
