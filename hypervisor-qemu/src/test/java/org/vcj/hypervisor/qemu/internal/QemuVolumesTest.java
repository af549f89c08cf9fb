package org.vcj.hypervisor.qemu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vcj.api.InvalidConfigException;
import org.vcj.api.Volume;

class QemuVolumesTest {

    @TempDir
    Path dir;

    @Test
    void eachVolumeIsA9pExportWithItsTag() {
        assertEquals(List.of("-fsdev", "local,id=vol0,path=" + dir + ",security_model=none",
                "-device", "virtio-9p-pci,fsdev=vol0,mount_tag=data"), QemuVolumes.args("vm1", List.of(new Volume("data", dir.toString()))));
        assertEquals(List.of(), QemuVolumes.args("vm1", null));
        QemuRunFiles files = new QemuRunFiles(Path.of("/run/vm1"));
        assertEquals(List.of("-fsdev", "proxy,id=vol0,socket=/run/vm1/9p-vol0.sock", "-device", "virtio-9p-pci,fsdev=vol0,mount_tag=data"),
                QemuVolumes.args("vm1", List.of(new Volume("data", dir.toString())), files, "vcj-qemu"), "QEMU as its user: a proxy");
        assertEquals(List.of("fs0", "vol0"), List.copyOf(QemuVolumes.exports(files, List.of(new Volume("data", dir.toString()))).keySet()));
    }

    @Test
    void clashingTagsAndMissingDirectoriesAreRefused() {
        assertThrows(InvalidConfigException.class, () -> QemuVolumes.args("vm1", List.of(new Volume("vcjshare", dir.toString()))));
        assertThrows(InvalidConfigException.class, () -> QemuVolumes.args("vm1",
                List.of(new Volume("a", dir.toString()), new Volume("a", dir.toString()))));
        assertThrows(InvalidConfigException.class, () -> QemuVolumes.args("vm1", List.of(new Volume("a", dir.resolve("no").toString()))));
    }
}
