package org.vcj.hypervisor.qemu.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.vcj.api.InvalidConfigException;

/**
 * The {@code -fsdev} backend of a virtio-9p export. QEMU as root serves it itself ({@code local},
 * {@code security_model=none}: files keep the owners the guest gives them). A QEMU that runs as {@code qemu.user}
 * could only do what that user may, so each export is then served by a root {@code virtfs-proxy-helper} (QEMU 7.2's
 * {@code proxy} backend; the helper chroots into the export and keeps only the file capabilities: chown, DAC override,
 * fowner, fsetid, mknod, set*id for the guest's credentials) that QEMU reaches over the socket {@code 9p-<id>.sock}
 * of its run directory, one helper per export, started before QEMU ({@link QemuHelpers}).
 */
final class Qemu9pExports {

    static final String PROXY_HELPER = "/usr/lib/qemu/virtfs-proxy-helper";

    private Qemu9pExports() {
    }

    /**
     * @throws InvalidConfigException when QEMU is to run as {@code user} but this host has no proxy helper (QEMU
     *                                deprecated the backend in 8.1 and removed it in 9.2)
     */
    static void requireHelper(String user) {
        if (!user.isEmpty() && !Files.isExecutable(Path.of(PROXY_HELPER))) {
            throw new InvalidConfigException(QemuSettings.USER, user, "a QEMU that runs as its own user needs "
                    + PROXY_HELPER + " (qemu-system-common of QEMU 7.2-9.1; QEMU 9.2 removed the 9p proxy backend) to serve"
                    + " the guest's files with root's rights; install it or leave qemu.user empty");
        }
    }

    /** The {@code -fsdev} value of export {@code id} of directory {@code path}. */
    static String fsdev(String id, Path path, QemuRunFiles files, String user) {
        return user.isEmpty() ? "local,id=" + id + ",path=" + path + ",security_model=none"
                : "proxy,id=" + id + ",socket=" + files.helperSocket(QemuHelpers.VIRTFS + id);
    }

    /** Starts the proxy helper of each export (id to directory) when QEMU runs as {@code user}; nothing else. */
    static void startHelpers(QemuHelpers helpers, Map<String, Path> exports, String user) {
        if (user.isEmpty()) return;
        int[] ids = QemuRunAs.ids(user);
        for (Map.Entry<String, Path> e : exports.entrySet()) {
            String name = QemuHelpers.VIRTFS + e.getKey();
            helpers.start(name, helpers.socket(name), List.of(PROXY_HELPER, "-n", "-p", e.getValue().toString(), "-s",
                    helpers.socket(name).toString(), "-u", Integer.toString(ids[0]), "-g", Integer.toString(ids[1])));
        }
    }
}
