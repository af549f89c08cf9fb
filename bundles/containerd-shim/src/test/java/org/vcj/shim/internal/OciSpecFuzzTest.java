package org.vcj.shim.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import org.vcj.api.VcException;
import org.vcj.testing.fuzz.FuzzInputs;

/**
 * containerd's {@code config.json} (and an exec's process, an update's resources) mapped to vcj's configs, fuzzed:
 * every document gives a config or a typed one-line error ({@link TaskException}, a {@link VcException}), within a
 * second. {@code -Dvcj.fuzz.tries=N} for more inputs.
 */
class OciSpecFuzzTest {

    private static final List<String> KEYS = List.of("ociVersion", "process", "terminal", "user", "uid", "gid",
            "additionalGids", "args", "env", "cwd", "noNewPrivileges", "capabilities", "bounding", "effective",
            "inheritable", "permitted", "ambient", "root", "path", "readonly", "mounts", "destination", "type", "source",
            "options", "annotations", "io.kubernetes.cri.container-type", "io.kubernetes.cri.sandbox-id", "container",
            "sandbox", "linux", "resources", "memory", "limit", "cpu", "shares", "quota", "period", "cpus", "pids",
            "bind", "rbind", "ro", "/proc", "/data", "tmpfs", "/dev/shm");

    private static Path bundle;

    @BeforeContainer
    static void makeBundle() throws Exception {
        bundle = Files.createTempDirectory("vcj-ocispec-fuzz-");
    }

    @AfterContainer
    static void removeBundle() throws Exception {
        Files.deleteIfExists(bundle.resolve("config.json"));
        Files.deleteIfExists(bundle);
    }

    @Provide
    Arbitrary<String> specs() {
        return FuzzInputs.jsonText(KEYS);
    }

    /** Found by the properties: Jackson's message put the location on a second line of the shim's error. */
    @Example
    void malformedJsonIsAOneLineError() throws Exception {
        aConfigJsonGivesAContainerConfigOrATypedError("{\"process\":[}");
        anExecProcessGivesACmdOrATypedError("{\"args\":\"", false);
        updateResourcesGiveResourcesOrATypedError("nul");
    }

    @Property
    void aConfigJsonGivesAContainerConfigOrATypedError(@ForAll("specs") String json) throws Exception {
        Files.write(bundle.resolve("config.json"), json.getBytes(StandardCharsets.UTF_8));
        typedOrSuccess(() -> {
            OciSpec spec = OciSpec.read(bundle);
            spec.joinedSandbox();
            return spec.container("c1", bundle.resolve("rootfs"));
        });
    }

    @Property
    void anExecProcessGivesACmdOrATypedError(@ForAll("specs") String json, @ForAll boolean terminal) throws Exception {
        typedOrSuccess(() -> OciSpec.process(json.getBytes(StandardCharsets.UTF_8), terminal));
    }

    @Property
    void updateResourcesGiveResourcesOrATypedError(@ForAll("specs") String json) throws Exception {
        typedOrSuccess(() -> OciSpec.resources(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static void typedOrSuccess(FuzzInputs.Body<Object> body) throws Exception {
        try {
            FuzzInputs.bounded(1000, body);
        } catch (TaskException | VcException e) {
            assertTrue(FuzzInputs.oneLine(e.getMessage()), "a one-line message: " + e.getMessage());
        }
    }
}
