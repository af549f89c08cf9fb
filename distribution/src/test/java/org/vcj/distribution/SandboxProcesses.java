package org.vcj.distribution;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.stream.Stream;

/**
 * The host processes of one sandbox under a test root, found in /proc the way a user would find them: the mock's
 * agent by its state directory, runc/crun by their {@code --root}, QEMU by its run directory, the containers' processes
 * by their cgroup {@code /vcj/<sandbox>/...}.
 */
final class SandboxProcesses {

    private final Path vmDir;
    private final String id;

    SandboxProcesses(Path root, String id) {
        this.vmDir = root.resolve("sandboxes").resolve(id).resolve("vm");
        this.id = id;
    }

    /** The mock hypervisor's agent (a java with {@code --state-dir=<vm>/agent}). */
    List<ProcessHandle> agent() {
        return scan((cmdline, cgroup) -> cmdline.contains("--state-dir=" + vmDir.resolve("agent")));
    }

    /** runc/crun processes of the agent ({@code run}, {@code events}, {@code exec}, ...). */
    List<ProcessHandle> runtime() {
        return scan((cmdline, cgroup) -> cmdline.contains(vmDir.resolve("agent").resolve("runtime").toString()));
    }

    /** Processes in the sandbox's container cgroups (the containers' init and everything they started). */
    List<ProcessHandle> containers() {
        return scan((cmdline, cgroup) -> cgroup.contains(":/vcj/" + id + "/"));
    }

    /** QEMU of the sandbox. */
    List<ProcessHandle> qemu() {
        return scan((cmdline, cgroup) -> cmdline.startsWith("qemu-system") && cmdline.contains(vmDir.toString()));
    }

    /** Every process whose command line contains {@code text}, or whose cgroup path contains it. */
    static List<ProcessHandle> mentioning(String text) {
        return scan((cmdline, cgroup) -> cmdline.contains(text) || cgroup.contains(text));
    }

    private static List<ProcessHandle> scan(BiPredicate<String, String> match) {
        List<ProcessHandle> found = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                long pid = Long.parseLong(p.getFileName().toString());
                if (pid == self) continue;
                try {
                    String cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                    String cgroup = Files.readString(p.resolve("cgroup"));
                    if (!cmdline.isEmpty() && match.test(cmdline, cgroup)) ProcessHandle.of(pid).ifPresent(found::add);
                } catch (IOException gone) {
                    // ended while we looked
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return found;
    }

    /** A one-line description: pid and command line. */
    static String describe(ProcessHandle p) {
        return p.pid() + ": " + p.info().commandLine().orElse("?");
    }
}
