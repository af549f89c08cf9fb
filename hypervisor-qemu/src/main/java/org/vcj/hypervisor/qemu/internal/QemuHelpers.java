package org.vcj.hypervisor.qemu.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.vcj.api.HypervisorException;
import org.vcj.support.process.HostProcess;

/**
 * The root helper processes of one VM whose QEMU runs as {@code qemu.user}: a {@code virtfs-proxy-helper} per 9p
 * export and a {@code qemu-nbd} per hot-plugged disk, each serving QEMU over a Unix socket {@code <name>.sock} in
 * the run directory (or, for a socket QEMU connects to once it has dropped to its user, which cannot traverse the
 * root-only directories above the run directory, in a root-owned directory of its own under the temp directory that
 * {@code <name>.sock} then links to). Each starts in a session of its own through {@code sh}, which writes its own pid to
 * {@code <name>.pid} and then execs the helper: the pid is on disk before the helper exists, so a runtime killed at
 * any moment leaves no helper that {@link #stopAll} (QEMU's stop, or the cleanup of a crashed runtime's run
 * directory) cannot find. The pid file is created afresh ({@code set -C}: never through a link someone put in the run
 * directory, which belongs to QEMU's user). A pid counts only while its process's command line still names that socket (a reused pid
 * is left alone).
 */
final class QemuHelpers {

    private static final System.Logger LOG = System.getLogger(QemuHelpers.class.getName());
    /** The prefixes of helper names: a 9p export's proxy, a disk's NBD server. */
    static final String VIRTFS = "9p-";
    static final String NBD = "nbd-";
    /** The prefix of a socket's own directory under the temp directory. */
    static final String OWN_DIR = "vcj-helper-";
    private static final long START_MILLIS = 10_000;
    private static final long EXIT_MILLIS = 5_000;

    private final String vmId;
    private final QemuRunFiles files;

    QemuHelpers(String vmId, QemuRunFiles files) {
        this.vmId = vmId;
        this.files = files;
    }

    /**
     * Starts helper {@code name}, {@code command} ending with its own arguments, and waits until {@code socket} (the
     * path the command names) exists; a socket outside the run directory is linked from {@code <name>.sock} first.
     *
     * @return {@code socket}
     * @throws HypervisorException (after stopping it) when it exits or makes no socket within 10 s
     */
    Path start(String name, Path socket, List<String> command) {
        Path pidFile = files.helperPid(name);
        stop(name);
        Path link = files.dir().resolve(name + ".sock");
        if (!socket.getParent().equals(files.dir()) && !socket.equals(files.helperSocket(name))) {
            try {
                Files.createSymbolicLink(link, socket);
            } catch (IOException e) {
                throw new HypervisorException(vmId, "startVM", "cannot record helper " + name + " in " + link + ": " + e.getMessage(), e);
            }
        }
        List<String> cmd = new ArrayList<>(List.of("setsid", "sh", "-c", "umask 077 && set -C && echo $$ > \"$0\" && exec \"$@\"",
                pidFile.toString()));
        cmd.addAll(command);
        try {
            Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(files.helperLog(name).toFile())).start();
            long deadline = System.currentTimeMillis() + START_MILLIS;
            while (!Files.exists(socket)) {
                if (!p.isAlive() || System.currentTimeMillis() > deadline) {
                    stop(name);
                    throw new HypervisorException(vmId, "startVM", "helper " + command.get(0) + " made no socket " + socket
                            + (p.isAlive() ? " within " + START_MILLIS / 1000 + " s" : "") + "; see " + files.helperLog(name)
                            + ": " + QemuProcess.tail(files.helperLog(name)), null);
                }
                Thread.sleep(5);
            }
            return socket;
        } catch (IOException e) {
            throw new HypervisorException(vmId, "startVM", "cannot start " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(name);
            throw new HypervisorException(vmId, "startVM", "interrupted while " + command.get(0) + " started", e);
        }
    }

    /** The socket of helper {@code name} in the run directory (for a QEMU that connects while still root). */
    Path socket(String name) {
        return files.helperSocket(name);
    }

    /**
     * A socket path for helper {@code name} that a QEMU running as its user can reach: in a new directory
     * {@code vcj-helper-*} under the temp directory, root's, mode 0711 (no one else can list, add or replace).
     */
    Path reachableSocket(String name) {
        try {
            Path dir = Files.createTempDirectory(OWN_DIR);
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
            return dir.resolve(name + ".sock");
        } catch (IOException e) {
            throw new HypervisorException(vmId, "startVM", "cannot make a directory for the socket of " + name + ": " + e.getMessage(), e);
        }
    }

    /** Ends helper {@code name} (it may have exited by itself: its client went) and removes its pid file and socket. */
    void stop(String name) {
        Path pidFile = files.helperPid(name);
        try {
            Optional<HostProcess> helper = running(name, pidFile);
            if (helper.isPresent() && !helper.get().awaitExit(0)) {
                helper.get().kill();
                if (!helper.get().awaitExit(EXIT_MILLIS)) {
                    throw new HypervisorException(vmId, "stopVM", "helper pid " + helper.get().pid() + " (" + name
                            + ") survived SIGKILL", null);
                }
            }
            Path link = files.dir().resolve(name + ".sock");
            if (Files.isSymbolicLink(link)) {   // a socket in a directory of its own, elsewhere
                Path socket = Files.readSymbolicLink(link);
                Files.deleteIfExists(socket);
                if (socket.getParent().getFileName().toString().startsWith(OWN_DIR)) Files.deleteIfExists(socket.getParent());
            }
            Files.deleteIfExists(link);
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            throw new HypervisorException(vmId, "stopVM", "cannot remove helper " + name + " in " + files.dir() + ": " + e.getMessage(), e);
        }
    }

    /** Ends every helper whose pid file is in the run directory. */
    void stopAll() {
        for (String name : names()) stop(name);
    }

    /** The names of the helpers whose pid files are in the run directory. */
    List<String> names() {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(files.dir())) return names;
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(files.dir(), "{" + VIRTFS + "," + NBD + "}*.pid")) {
            for (Path p : pids) {
                String f = p.getFileName().toString();
                names.add(f.substring(0, f.length() - ".pid".length()));
            }
        } catch (IOException e) {
            throw new HypervisorException(vmId, "stopVM", "cannot list the helpers in " + files.dir() + ": " + e.getMessage(), e);
        }
        return names;
    }

    /** The process {@code pidFile} names, if it is alive and its command line names the helper's socket. */
    private Optional<HostProcess> running(String name, Path pidFile) throws IOException {
        if (!Files.isRegularFile(pidFile)) return Optional.empty();
        String pid = Files.readString(pidFile).trim();
        if (!pid.matches("[0-9]{1,10}")) return Optional.empty();   // sh died while writing it
        try {
            String cmdline = Files.readString(Path.of("/proc", pid, "cmdline"));
            if (!cmdline.contains("/" + name + ".sock\0")) return Optional.empty();
        } catch (IOException gone) {
            return Optional.empty();
        }
        Optional<HostProcess> p = HostProcess.of(Long.parseLong(pid));
        p.ifPresent(h -> LOG.log(Level.DEBUG, "VM " + vmId + ": helper " + name + " is pid " + h.pid()));
        return p;
    }
}
