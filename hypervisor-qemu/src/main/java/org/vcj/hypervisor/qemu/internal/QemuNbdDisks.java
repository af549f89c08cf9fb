package org.vcj.hypervisor.qemu.internal;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A hot-plugged disk of a QEMU that runs as {@code qemu.user}: that user may not open the user's file (nor traverse
 * the directories above it), and the file's owner and mode must not change, so a root {@code qemu-nbd} opens it and
 * serves it as NBD export {@code <id>} on a socket given to that user alone ({@link QemuHelpers}; {@code qemu-nbd} serves one client and exits when QEMU lets go of the disk). QEMU's
 * protocol node is then an {@code nbd} client of that socket. Passing QEMU an open file descriptor ({@code add-fd})
 * would avoid the process, but needs SCM_RIGHTS on the QMP socket, which Java 17's Unix sockets lack.
 */
final class QemuNbdDisks {

    static final String QEMU_NBD = "qemu-nbd";

    private QemuNbdDisks() {
    }

    /** Starts the disk's server; returns the QMP protocol node that reaches it. */
    static String start(String vmId, QemuHelpers helpers, String id, String hostPath, String user) {
        String name = QemuHelpers.NBD + id;
        Path socket = helpers.reachableSocket(name);
        helpers.start(name, socket, List.of(QEMU_NBD, "--format=raw", "--export-name=" + id, "--socket=" + socket, hostPath));
        QemuRunAs.grant(vmId, user, socket);
        return protocolNode(id, socket);
    }

    /** Ends the disk's server (after QEMU deleted its node, it has usually exited by itself). */
    static void stop(QemuHelpers helpers, String id) {
        helpers.stop(QemuHelpers.NBD + id);
    }

    static String protocolNode(String id, Path socket) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("driver", "nbd");
        a.put("node-name", id + "-p");
        Map<String, Object> server = new LinkedHashMap<>();
        server.put("type", "unix");
        server.put("path", socket.toString());
        a.put("server", server);
        a.put("export", id);
        return QmpJson.object(a);
    }
}
