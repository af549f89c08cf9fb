package org.vcj.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VcjSettingsTest {

    @TempDir Path conf;

    @Test
    void goodSettingsAreReadAndSeedTheRootAndStorage() throws Exception {
        Files.writeString(conf.resolve("org.vcj.cfg"), "hypervisor = mock\nvcpus=2\nmemory=512\nroot=/tmp/vcj-x\nstorage=leveldb\n");
        Map<String, String> s = VcjSettings.load(conf);
        assertEquals("2", s.get("vcpus"));
        GlobalOptions o = GlobalOptions.parse(new String[] {"list"}, Map.of(), true, Map.of("root", conf.resolve("r").toString()));
        assertEquals(conf.resolve("r"), o.root());
        assertEquals("fs", o.storage());
    }

    @Test
    void aBadValueOrKeyNamesTheKeyAndTheValue() throws Exception {
        Files.writeString(conf.resolve("org.vcj.cfg"), "vcpus=many\n");
        GlobalOptions.UsageError bad = assertThrows(GlobalOptions.UsageError.class, () -> VcjSettings.load(conf));
        assertTrue(bad.getMessage().contains("vcpus='many'"), bad.getMessage());
        Files.writeString(conf.resolve("org.vcj.cfg"), "colour=blue\n");
        assertTrue(assertThrows(GlobalOptions.UsageError.class, () -> VcjSettings.load(conf)).getMessage().contains("unknown key 'colour'"));
    }

    @Test
    void theQemuPluginsKeysGoToItsConfigurationUncheckedHere() throws Exception {
        Files.writeString(conf.resolve("org.vcj.cfg"), "kernel=relative/vmlinux\nqemu.seccomp=false\nvcpus=2\n");
        Map<String, String> s = VcjSettings.load(conf);
        assertEquals(Map.of(VcjSettings.QEMU_PID, Map.of("kernel", "relative/vmlinux", "qemu.seccomp", "false")),
                VcjSettings.pluginConfigurations(s), "the QEMU plugin checks them at activation (QemuSettingsTest)");
        assertEquals(Map.of(), VcjSettings.pluginConfigurations(Map.of("vcpus", "2")));
    }

    @Test
    void aRootRemembersItsStorage() throws Exception {
        Path root = conf.resolve("root");
        assertEquals("leveldb", GlobalOptions.parse(new String[] {"--root=" + root, "--storage=leveldb", "list"}, Map.of(), true, Map.of()).storage());
        assertEquals("leveldb", GlobalOptions.parse(new String[] {"--root=" + root, "list"}, Map.of(), true, Map.of()).storage());
        GlobalOptions.UsageError clash = assertThrows(GlobalOptions.UsageError.class,
                () -> GlobalOptions.parse(new String[] {"--root=" + root, "--storage=fs", "list"}, Map.of(), true, Map.of()));
        assertTrue(clash.getMessage().contains("uses storage 'leveldb'"), clash.getMessage());
    }
}
