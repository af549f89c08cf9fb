package org.vcj.hypervisor.qemu.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.vcj.api.HypervisorException;
import org.vcj.api.hypervisor.VM;
import org.vcj.support.process.HostProcess;

/**
 * The QEMU process of one VM: started in a session of its own (so it outlives the JVM and no terminal signal of the
 * caller reaches it), with its output in {@code qemu.log}; known afterwards by pid and start time (the VM record), or,
 * for a VM that was never recorded, by the pid file it wrote and a command line that names that pid file.
 */
final class QemuProcess {

    private static final System.Logger LOG = System.getLogger(QemuProcess.class.getName());
    static final long STOP_GRACE_MILLIS = 10_000;

    private QemuProcess() {
    }

    /**
     * Starts {@code args} (a QEMU command line, maybe prefixed to enter a namespace) and waits until QEMU wrote its pid
     * file: it does before it opens its sockets. A QEMU that exits first fails with the end of its log.
     */
    static HostProcess start(String vmId, List<String> args, QemuRunFiles files, Duration timeout) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("setsid"));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(files.log().toFile())).start();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.isRegularFile(files.pidFile()) || Files.size(files.pidFile()) == 0) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new HypervisorException(vmId, "startVM", "QEMU did not start" + (p.isAlive() ? " within " + timeout : "")
                        + "; see " + files.log() + ": " + tail(files.log()), null);
            }
            sleep(vmId, 5);
        }
        return fromPidFile(vmId, files);
    }

    /** The process the VM record names (pid and start time). */
    static HostProcess of(VM vm) {
        try {
            return new HostProcess(Long.parseLong(vm.state().get("pid")), Long.parseLong(vm.state().get("startTime")));
        } catch (RuntimeException e) {
            throw new HypervisorException(vm.id(), "attach", "the saved VM record has no QEMU pid: " + vm.state(), e);
        }
    }

    /**
     * Ends the process: after {@code graceMillis} (0: at once) it is SIGKILLed.
     *
     * @throws HypervisorException when it survives SIGKILL
     */
    static void end(String vmId, HostProcess qemu, long graceMillis) {
        if (!qemu.awaitExit(graceMillis)) {
            qemu.kill();
            if (!qemu.awaitExit(STOP_GRACE_MILLIS)) {
                throw new HypervisorException(vmId, "stopVM", "QEMU pid " + qemu.pid() + " survived SIGKILL", null);
            }
        }
    }

    /**
     * Kills the QEMU that a crashed runtime started in this run directory but never recorded: the process its pid file
     * names, when that process is a QEMU whose command line names such a pid file (a VM factory may have moved the
     * directory since).
     */
    static void killUnrecorded(QemuRunFiles files) {
        if (!Files.isRegularFile(files.pidFile())) return;   // stopped, or never started
        try {
            HostProcess qemu = fromPidFile(files.dir().getFileName().toString(), files);
            List<String> args = List.of(Files.readString(Path.of("/proc", Long.toString(qemu.pid()), "cmdline")).split("\0"));
            int i = args.indexOf("-pidfile");
            if (i >= 0 && i + 1 < args.size() && args.get(i + 1).endsWith("/" + files.pidFile().getFileName())
                    && args.get(0).contains("qemu")) {
                qemu.kill();
                qemu.awaitExit(STOP_GRACE_MILLIS);
            }
        } catch (IOException | HypervisorException e) {
            LOG.log(Level.DEBUG, "no QEMU to clean up in " + files.dir() + ": " + e.getMessage());
        }
    }

    private static HostProcess fromPidFile(String id, QemuRunFiles files) throws IOException {
        Path pidFile = files.pidFile();
        if (!Files.isRegularFile(pidFile)) throw new HypervisorException(id, "startVM", "QEMU wrote no " + pidFile, null);
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        return HostProcess.of(pid).orElseThrow(() -> new HypervisorException(id, "startVM",
                "QEMU exited at once; see " + files.log() + ": " + tail(files.log()), null));
    }

    /** The last lines of a log, joined by " | ", for an error message. */
    static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no " + file.getFileName() + ")";
        }
    }

    private static void sleep(String vmId, long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HypervisorException(vmId, "startVM", "interrupted", e);
        }
    }
}
