package org.vcj.hypervisor.qemu.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /** The arguments of QEMU served by itself, as root. */
    static List<String> args(String vmId, List<Volume> volumes) {
        return args(vmId, volumes, null, "");
    }

    /** The arguments; {@code user} and {@code files} choose the backend ({@link Qemu9pExports}). */
    static List<String> args(String vmId, List<Volume> volumes, QemuRunFiles files, String user) {
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
            a.addAll(List.of("-fsdev", Qemu9pExports.fsdev("vol" + i, Path.of(v.hostPath()), files, user),
                    "-device", "virtio-9p-pci,fsdev=vol" + i + ",mount_tag=" + v.mountTag()));
            i++;
        }
        return a;
    }

    /** The 9p exports the VM's command line has: the shared directory's and each volume's, fsdev id to directory. */
    static Map<String, Path> exports(QemuRunFiles files, List<Volume> volumes) {
        Map<String, Path> exports = new LinkedHashMap<>();
        exports.put(QemuCommandLine.SHARE_FSDEV, files.shared());
        int i = 0;
        for (Volume v : volumes == null ? List.<Volume>of() : volumes) exports.put("vol" + i++, Path.of(v.hostPath()));
        return exports;
    }
}
