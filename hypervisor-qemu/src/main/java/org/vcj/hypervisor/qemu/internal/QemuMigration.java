package org.vcj.hypervisor.qemu.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;

import org.vcj.api.HypervisorException;

/**
 * VM templating over QMP: saving a paused VM's device state to a file and restoring a clone from it. Both sides set
 * {@code x-ignore-shared}, so guest RAM, which lives in the template's memory file, is not copied. The state streams
 * over a Unix socket in the run directory ({@code unix:} migration), between QEMU and this class, which reads or
 * writes the file: QEMU spawns nothing (its seccomp filter denies {@code exec:} migration's fork).
 */
final class QemuMigration {

    private static final String IGNORE_SHARED =
            "{\"capabilities\":[{\"capability\":\"x-ignore-shared\",\"state\":true}]}";

    private final String vmId;
    private final QmpClient qmp;
    private final QemuRunFiles files;
    private final String runAs;

    /** @param runAs the user QEMU runs as ({@code qemu.user}; it must be able to connect to the socket), or empty */
    QemuMigration(String vmId, QmpClient qmp, QemuRunFiles files, String runAs) {
        this.vmId = vmId;
        this.qmp = qmp;
        this.files = files;
        this.runAs = runAs;
    }

    /**
     * The socket the state streams through: in the run directory, or, for a QEMU that runs as {@code qemu.user}
     * (which cannot traverse a root-only directory above its run directory), in a directory of that user's own
     * under the temp directory.
     */
    private Path socket() throws IOException {
        if (runAs.isEmpty()) return files.migrationSocket();
        Path dir = Files.createTempDirectory("vcj-migrate-");
        QemuRunAs.grant(vmId, runAs, dir);
        return dir.resolve(files.migrationSocket().getFileName());
    }

    private void remove(Path socket) throws IOException {
        Files.deleteIfExists(socket);
        // only qemu.user's own temporary directory goes; in the run directory's case the parent may be the short link
        // to the run directory (a long path), which the agent and QMP sockets are still reached through
        if (!runAs.isEmpty()) Files.deleteIfExists(socket.getParent());
    }

    /** Stops the VM and writes its device state to {@code stateFile} (replaced atomically). The VM stays paused. */
    void save(Path stateFile, Duration timeout) throws IOException {
        Path tmp = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Path socket = socket();
        Files.deleteIfExists(socket);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            QemuRunAs.grant(vmId, runAs, socket);
            server.configureBlocking(false);
            qmp.execute("stop");
            qmp.execute("migrate-set-capabilities", IGNORE_SHARED);
            qmp.execute("migrate", QmpJson.object(Map.of("uri", "unix:" + socket)));
            try (SocketChannel stream = accept(server, socket, deadline); InputStream in = Channels.newInputStream(stream)) {
                Files.copy(in, tmp);   // to QEMU's end of the stream
            }
        } finally {
            remove(socket);
        }
        awaitMigration(deadline, tmp);
        if (!Files.isRegularFile(tmp) || Files.size(tmp) == 0) {
            throw new HypervisorException(vmId, "saveVM", "QEMU reported success but wrote no state to " + tmp, null);
        }
        Files.move(tmp, stateFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Loads the device state into a VM started with {@code -incoming defer} and lets it run. */
    void restore(Path stateFile, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Path socket = socket();
        Files.deleteIfExists(socket);
        qmp.execute("migrate-set-capabilities", IGNORE_SHARED);
        qmp.execute("migrate-incoming", QmpJson.object(Map.of("uri", "unix:" + socket)));
        try (SocketChannel stream = SocketChannel.open(StandardProtocolFamily.UNIX);
             FileChannel in = FileChannel.open(stateFile, StandardOpenOption.READ)) {
            stream.connect(UnixDomainSocketAddress.of(socket));
            long size = in.size();
            for (long at = 0; at < size; ) at += in.transferTo(at, size - at, stream);
        } finally {
            remove(socket);
        }
        String status;
        while ((status = qmp.status()).equals("inmigrate")) {
            if (System.nanoTime() > deadline) {
                throw new HypervisorException(vmId, "startVM", "restoring the template's state took over " + timeout, null);
            }
            sleep(10);
        }
        if (!status.equals("running")) qmp.execute("cont");
        String after = qmp.status();
        if (!after.equals("running")) {
            throw new HypervisorException(vmId, "startVM", "the clone is '" + after + "' after restoring " + stateFile
                    + ", not running: " + qmp.execute("query-migrate"), null);
        }
    }

    private SocketChannel accept(ServerSocketChannel server, Path socket, long deadline) throws IOException {
        while (true) {
            SocketChannel ch = server.accept();
            if (ch != null) {
                ch.configureBlocking(true);
                return ch;
            }
            String status = migrateStatus();
            if (status.equals("failed") || status.equals("cancelled") || System.nanoTime() > deadline) {
                throw new HypervisorException(vmId, "saveVM", "QEMU did not connect to " + socket + " (migration "
                        + status + "): " + qmp.execute("query-migrate"), null);
            }
            sleep(5);
        }
    }

    private void awaitMigration(long deadline, Path target) throws IOException {
        while (true) {
            String status = migrateStatus();
            if (status.equals("completed")) return;
            if (status.equals("failed") || status.equals("cancelled")) {
                throw new HypervisorException(vmId, "saveVM", "migration to " + target + " " + status + ": "
                        + qmp.execute("query-migrate"), null);
            }
            if (System.nanoTime() > deadline) throw new HypervisorException(vmId, "saveVM", "saving took too long", null);
            sleep(20);
        }
    }

    private String migrateStatus() throws IOException {
        return QmpJson.returned(qmp.execute("query-migrate")).path("status").asText("none");
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HypervisorException(vmId, "migrate", "interrupted", e);
        }
    }
}
