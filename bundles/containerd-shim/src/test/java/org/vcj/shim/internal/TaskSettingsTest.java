package org.vcj.shim.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tasks of one service, each with the runtime config file it was started with. */
class TaskSettingsTest {
    @TempDir
    Path dir;

    @Test
    void aTasksConfigFileOverridesTheServicesSettingsForThatTaskOnly() throws Exception {
        TaskSettings service = TaskSettings.of(Map.of("hypervisor", "mock", "vcpus", "2")::get);
        Path qemuBundle = Files.createDirectories(dir.resolve("b1"));
        Files.writeString(dir.resolve("qemu.cfg"), "hypervisor=qemu\nfactory=template\n");
        Files.writeString(qemuBundle.resolve(TaskSettings.CONFIG_FILE), dir.resolve("qemu.cfg").toString());
        Path plainBundle = Files.createDirectories(dir.resolve("b2"));
        Files.writeString(plainBundle.resolve(TaskSettings.CONFIG_FILE), "");
        assertEquals(new TaskSettings("qemu", "template", 2, 0), service.forBundle(qemuBundle));
        assertEquals(service, service.forBundle(plainBundle));
        assertEquals(service, service.forBundle(dir.resolve("none")));
        assertEquals(new TaskSettings("mock", null, 2, 0), service);
    }

    @Test
    void withoutASettingATaskGetsAVmAsVcjRunDoes() {
        assertEquals(new TaskSettings("qemu", null, 0, 0), TaskSettings.of(k -> null));
    }

    @Test
    void aMissingConfigFileIsAClearError() throws Exception {
        Path bundle = Files.createDirectories(dir.resolve("b"));
        Files.writeString(bundle.resolve(TaskSettings.CONFIG_FILE), dir.resolve("gone.cfg").toString());
        TaskException e = assertThrows(TaskException.class, () -> TaskSettings.of(k -> null).forBundle(bundle));
        assertEquals(TaskException.INVALID_ARGUMENT, e.code());
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("gone.cfg"), e.getMessage());
    }
}
