package org.vcj.support.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A host process (an agent, a QEMU) identified by pid and kernel start time, so that a reused pid is never mistaken for it.
 *
 * @param pid       process id
 * @param startTime start time in clock ticks since boot (field 22 of /proc/PID/stat)
 */
public record HostProcess(long pid, long startTime) {

    /** The process as it is now, if it runs. */
    public static Optional<HostProcess> of(long pid) {
        return ProcStat.of(pid).filter(st -> !st.zombie()).map(st -> new HostProcess(pid, st.startTime()));
    }

    /**
     * Every running process but this one whose command line (arguments joined by spaces) contains {@code text}: how
     * helpers are found whose parent died before it could stop them (they all name a path of their sandbox).
     */
    public static List<HostProcess> mentioning(String text) {
        List<HostProcess> found = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path dir : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                long pid = Long.parseLong(dir.getFileName().toString());
                if (pid == self) continue;
                try {
                    String cmdline = new String(Files.readAllBytes(dir.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                    if (cmdline.contains(text)) of(pid).ifPresent(found::add);
                } catch (IOException gone) {
                    // ended while we looked
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot list /proc", e);
        }
        return found;
    }

    /** SIGKILL, unless the pid now belongs to another process (or none). */
    public void kill() {
        if (alive()) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    public boolean alive() {
        return of(pid).filter(p -> p.startTime == startTime).isPresent();
    }

    public void signal(String signal, boolean group) {
        try {
            new ProcessBuilder("kill", "-" + signal, "--", (group ? "-" : "") + pid)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        } catch (IOException e) {
            // kill(1) is missing or the process is gone: nothing more to do here
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits up to {@code millis} for the process to end; true when it did. */
    public boolean awaitExit(long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (alive()) {
            if (System.nanoTime() > deadline) return false;
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !alive();
            }
        }
        return true;
    }
}
