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

    /** SIGTERM, unless the pid now belongs to another process (or none). */
    public void terminate() {
        handle().ifPresent(ProcessHandle::destroy);
    }

    /** SIGKILL, unless the pid now belongs to another process (or none). */
    public void kill() {
        handle().ifPresent(ProcessHandle::destroyForcibly);
    }

    /**
     * SIGKILL to the process and to every descendant it has now, unless the pid now belongs to another process (or
     * none). Descendants go first, so none is reparented away from the tree before it is found.
     */
    public void killTree() {
        handle().ifPresent(h -> {
            h.descendants().forEach(ProcessHandle::destroyForcibly);
            h.destroyForcibly();
        });
    }

    /** Whether the pid still names this process (same start time), and it has not ended. */
    public boolean alive() {
        return of(pid).filter(p -> p.startTime == startTime).isPresent();
    }

    /**
     * The JDK's handle of this process, taken before the start time is checked: the handle keeps the start time the
     * JDK saw, and the JDK signals no other process of that pid, so a pid recycled between the check and the signal
     * is not signalled either.
     */
    private Optional<ProcessHandle> handle() {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        return alive() ? h : Optional.empty();
    }

    /** Waits up to {@code millis} for the process to end; true when it did. */
    public boolean awaitExit(long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        long pause = 2;   // a process told to quit usually ends within milliseconds: look often first, then every 50 ms
        while (alive()) {
            if (System.nanoTime() > deadline) return false;
            try {
                Thread.sleep(pause);
                pause = Math.min(50, pause * 2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !alive();
            }
        }
        return true;
    }
}
