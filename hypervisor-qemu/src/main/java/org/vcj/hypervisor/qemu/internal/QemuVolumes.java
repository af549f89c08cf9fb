package org.vcj.hypervisor.qemu.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.vcj.api.InvalidConfigException;
import org.vcj.api.Volume;

/**
 * The sandbox's volumes on the QEMU command line: one virtio-9p export per volume, its mount tag the volume's. The
 * guest agent mounts every 9p tag but the shared directory's at {@code /run/vcj/volumes/<tag>} on CreateSandbox.
 */
final class QemuVolumes {

    private QemuVolumes() {
    }

    static List<String> args(String vmId, List<Volume> volumes) {
        List<String> a = new ArrayList<>();
        Set<String> tags = new HashSet<>();
        int i = 0;
        for (Volume v : volumes == null ? List.<Volume>of() : volumes) {
            if (v.mountTag().equals(QemuCommandLine.SHARE_TAG) || !tags.add(v.mountTag())) {
                throw new InvalidConfigException("Volume.MountTag", v.mountTag(), "VM " + vmId + ": mount tags must be unique"
                        + " and not '" + QemuCommandLine.SHARE_TAG + "' (the shared directory's)");
            }
            if (!Files.isDirectory(Path.of(v.hostPath()))) {
                throw new InvalidConfigException("Volume.HostPath", v.hostPath(), "VM " + vmId + ": a volume is a directory on the host");
            }
            if (v.hostPath().contains(",")) {
                throw new InvalidConfigException("Volume.HostPath", v.hostPath(), "QEMU cannot export a path with a comma");
            }
            a.addAll(List.of("-fsdev", "local,id=vol" + i + ",path=" + v.hostPath() + ",security_model=none",
                    "-device", "virtio-9p-pci,fsdev=vol" + i + ",mount_tag=" + v.mountTag()));
            i++;
        }
        return a;
    }
}
