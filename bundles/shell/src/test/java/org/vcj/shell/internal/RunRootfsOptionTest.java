package org.vcj.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.vcj.api.InvalidConfigException;

/** The core's refusal of a container rootfs is reported under the option the user gave, and nothing is undone. */
class RunRootfsOptionTest {

    @Test
    void theCoresRootfsRefusalNamesTheOptionAndNoUndoIsAttempted() {
        FakeVc vc = new FakeVc();
        vc.failWith = new InvalidConfigException("ContainerConfig.RootFs", "/", "container x: it is the host's root directory");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new VerbDispatcher(vc, Map.of("vcj.rootfs", "/opt/rootfs")::get, (name, action) -> () -> { })
                .main(new String[] {"run", "--rootfs=/", "--", "true"},
                        new Io(new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream(), true),
                                new PrintStream(err, true), true));
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, code, text);
        assertEquals("vcj: invalid --rootfs '/': container x: it is the host's root directory\n", text);
        assertFalse(vc.calls.stream().anyMatch(c -> c.startsWith("stopSandbox") || c.startsWith("deleteSandbox")), vc.calls.toString());
    }
}
