package org.vcj.hypervisor.qemu.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.vcj.api.hypervisor.VM;
import org.vcj.support.fs.UnixSocketPaths;

/**
 * The files of one QEMU VM in its run directory, named in this one place: its sockets (agent channel, QMP, migration),
 * pid file, logs, recorded command line and the directory shared with the guest. The sockets are named through
 * {@link UnixSocketPaths#shortPath} (a short link to the directory when the run directory's path is too long for a
 * Unix socket: a long root or a 64-character CRI id); {@link #releaseLinks} removes that link once QEMU is gone.
 *
 * @param dir the VM's run directory
 */
record QemuRunFiles(Path dir) {

    static QemuRunFiles of(VM vm) {
        return new QemuRunFiles(Path.of(vm.runDir()));
    }

    /** The host end of the agent's virtio-serial port. */
    Path agentSocket() { return UnixSocketPaths.shortPath(dir.resolve("agent.sock")); }

    Path qmpSocket() { return UnixSocketPaths.shortPath(dir.resolve("qmp.sock")); }

    /** Where a template's device state streams through while it is saved or loaded ({@link QemuMigration}). */
    Path migrationSocket() { return UnixSocketPaths.shortPath(dir.resolve("migrate.sock")); }

    Path pidFile() { return dir.resolve("qemu.pid"); }

    /** The socket of root helper {@code name} ({@link QemuHelpers}: a 9p export's proxy, a hot-plugged disk's NBD server). */
    Path helperSocket(String name) { return UnixSocketPaths.shortPath(dir.resolve(name + ".sock")); }

    /** Where root helper {@code name} wrote its pid before it became the helper. */
    Path helperPid(String name) { return dir.resolve(name + ".pid"); }

    Path helperLog(String name) { return dir.resolve(name + ".log"); }

    /** QEMU's own output (errors at start). */
    Path log() { return dir.resolve("qemu.log"); }

    /** The guest's serial console. */
    Path console() { return dir.resolve("console.log"); }

    Path commandLine() { return dir.resolve("qemu.cmdline"); }

    /** The directory exported to the guest over virtio-9p. */
    Path shared() { return dir.resolve("shared"); }

    /** Removes what only a running QEMU uses (sockets, pid file); what is already gone is skipped. */
    void removeTransient() throws IOException {
        for (String f : List.of("agent.sock", "qmp.sock", "migrate.sock")) Files.deleteIfExists(dir.resolve(f));
        Files.deleteIfExists(pidFile());
    }

    /** Removes the short link of the sockets' directory, if one was made (after QEMU stopped: its sockets use it). */
    void releaseLinks() {
        UnixSocketPaths.release(dir);
    }
}
