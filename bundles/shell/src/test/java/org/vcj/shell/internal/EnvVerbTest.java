package org.vcj.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** {@code vcj env}: each setting's value and where it came from; the paths. */
class EnvVerbTest {
    final Map<String, String> props = new HashMap<>(Map.of("vcj.home", "/opt/vcj", "vcj.root", "/tmp/r", "vcj.storage", "leveldb",
            "vcj.memory", "768"));
    final VerbDispatcher cli = new VerbDispatcher(new FakeVc(), props::get, (name, action) -> () -> { });
    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    List<String> env(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "env";
        System.arraycopy(args, 0, all, 1, args.length);
        assertEquals(0, cli.main(all, new Io(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true),
                new PrintStream(new ByteArrayOutputStream(), true), true)));
        return out.toString(StandardCharsets.UTF_8).lines().map(l -> l.replaceAll(" +", " ")).toList();
    }

    @Test
    void optionsWinOverSettingsOverDefaults() {
        List<String> lines = env("--hypervisor=mock");
        assertTrue(lines.contains("hypervisor mock option --hypervisor"), lines.toString());
        assertTrue(lines.contains("memory 768 setting"), lines.toString());
        assertTrue(lines.contains("factory direct default"), lines.toString());
        assertTrue(lines.contains("root /tmp/r global option or setting"), lines.toString());
        assertTrue(lines.contains("storage leveldb global option or setting"), lines.toString());
    }

    @Test
    void theDefaultHypervisorIsQemuAndThePathsAreListed() {
        List<String> lines = env();
        assertTrue(lines.contains("hypervisor qemu default"), lines.toString());
        assertTrue(lines.contains("settings file /opt/vcj/conf/org.vcj.cfg"), lines.toString());
        assertTrue(lines.contains("templates /tmp/r/factory/template"), lines.toString());
    }
}
