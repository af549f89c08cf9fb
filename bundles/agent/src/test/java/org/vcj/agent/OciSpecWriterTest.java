package org.vcj.agent;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vcj.agent.internal.JsonReader;
import org.vcj.agent.internal.OciSpecWriter;
import org.vcj.agent.protocol.Capabilities;
import org.vcj.agent.protocol.Cmd;
import org.vcj.agent.protocol.CreateContainerRequest;
import org.vcj.agent.protocol.EnvVar;
import org.vcj.agent.protocol.LinuxResources;
import org.vcj.agent.protocol.Mount;

/** config.json written by hand: it parses back and holds what the request asked for. */
class OciSpecWriterTest {
    @Test
    void configReflectsRequest() {
        CreateContainerRequest req = CreateContainerRequest.newBuilder().setContainerId("c1").setRootfs("/run/r\"fs")
                .setReadonlyRootfs(true)
                .setCmd(Cmd.newBuilder().addArgs("sh").addArgs("-c").addArgs("echo \"a\\tb\"\n").setUser("1000:100")
                        .addEnvs(EnvVar.newBuilder().setVar("A").setValue("1")).setWorkDir("/tmp").setNoNewPrivileges(true)
                        .setCapabilities(Capabilities.newBuilder().addBounding("CAP_KILL").addAmbient("CAP_KILL")))
                .addMounts(Mount.newBuilder().setSource("/shared/x").setDestination("/data").setReadOnly(true))
                .setResources(LinuxResources.newBuilder().setMemoryLimit(1 << 20).setPidsLimit(7))
                .putAnnotations("k", "v").build();
        Object c = JsonReader.parse(OciSpecWriter.config(req, "sb1", "host1"));
        assertEquals("/run/r\"fs", JsonReader.at(c, "root", "path"));
        assertEquals(Boolean.TRUE, JsonReader.at(c, "root", "readonly"));
        assertEquals("host1", JsonReader.at(c, "hostname"));
        assertEquals(List.of("sh", "-c", "echo \"a\\tb\"\n"), JsonReader.at(c, "process", "args"));
        assertEquals(1000L, JsonReader.at(c, "process", "user", "uid"));
        assertEquals(100L, JsonReader.at(c, "process", "user", "gid"));
        assertTrue(((List<?>) JsonReader.at(c, "process", "env")).contains("A=1"));
        assertEquals(List.of("CAP_KILL"), JsonReader.at(c, "process", "capabilities", "ambient"));
        assertEquals("/vcj/sb1/c1", JsonReader.at(c, "linux", "cgroupsPath"));
        assertEquals(1L << 20, JsonReader.num(c, "linux", "resources", "memory", "limit"));
        assertEquals(7L, JsonReader.num(c, "linux", "resources", "pids", "limit"));
        List<?> ns = (List<?>) JsonReader.at(c, "linux", "namespaces");
        assertEquals(4, ns.size(), "pid ipc uts mount, no network unless asked");
        List<?> mounts = (List<?>) JsonReader.at(c, "mounts");
        Map<?, ?> data = (Map<?, ?>) mounts.get(mounts.size() - 1);
        assertEquals("/data", data.get("destination"));
        assertEquals(List.of("rbind", "ro"), data.get("options"));
        assertEquals("v", JsonReader.at(c, "annotations", "k"));
    }
}
