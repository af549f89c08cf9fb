package org.vcj.hypervisor.qemu.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.vcj.api.HypervisorException;

/**
 * VM templating over QMP: saving a paused VM's device state to a file and restoring a clone from it. Both sides set
 * {@code x-ignore-shared}, so guest RAM, which lives in the template's memory file, is not copied.
 */
final class QemuMigration {

    private static final Pattern MIGRATE_STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([a-z-]+)\"");
    private static final String IGNORE_SHARED =
            "{\"capabilities\":[{\"capability\":\"x-ignore-shared\",\"state\":true}]}";

    private final String vmId;
    private final QmpClient qmp;

    QemuMigration(String vmId, QmpClient qmp) {
        this.vmId = vmId;
        this.qmp = qmp;
    }

    /** Stops the VM and writes its device state to {@code stateFile} (replaced atomically). The VM stays paused. */
    void save(Path stateFile, Duration timeout) throws IOException {
        Path tmp = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        qmp.execute("stop");
        qmp.execute("migrate-set-capabilities", IGNORE_SHARED);
        qmp.execute("migrate", "{\"uri\":\"exec:cat > " + shellQuoted(tmp) + "\"}");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String status = migrateStatus();
            if (status.equals("completed")) break;
            if (status.equals("failed") || status.equals("cancelled")) {
                throw new HypervisorException(vmId, "saveVM", "migration to " + tmp + " " + status + ": "
                        + qmp.execute("query-migrate"), null);
            }
            if (System.nanoTime() > deadline) throw new HypervisorException(vmId, "saveVM", "saving took over " + timeout, null);
            sleep(20);
        }
        if (!Files.isRegularFile(tmp) || Files.size(tmp) == 0) {
            throw new HypervisorException(vmId, "saveVM", "QEMU reported success but wrote no state to " + tmp, null);
        }
        Files.move(tmp, stateFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** Loads the device state into a VM started with {@code -incoming defer} and lets it run. */
    void restore(Path stateFile, Duration timeout) throws IOException {
        qmp.execute("migrate-set-capabilities", IGNORE_SHARED);
        qmp.execute("migrate-incoming", "{\"uri\":\"exec:cat " + shellQuoted(stateFile) + "\"}");
        long deadline = System.nanoTime() + timeout.toNanos();
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

    private String migrateStatus() throws IOException {
        Matcher m = MIGRATE_STATUS.matcher(qmp.execute("query-migrate"));
        return m.find() ? m.group(1) : "none";
    }

    private static String shellQuoted(Path p) {
        String s = p.toAbsolutePath().toString();
        if (s.contains("'") || s.contains("\"") || s.contains("\\")) {
            throw new HypervisorException(null, "migrate", "unsupported quote or backslash in the path " + s, null);
        }
        return "'" + s + "'";
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
