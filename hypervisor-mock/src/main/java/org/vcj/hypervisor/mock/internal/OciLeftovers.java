package org.vcj.hypervisor.mock.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.vcj.support.fs.FileTrees;

/**
 * Deletes the OCI containers an agent left behind when it died or had to be SIGKILLed: every container state
 * directory under the agent's OCI runtime root ({@code <runDir>/agent/runtime}) is removed with
 * {@code <runtime> --root ROOT delete --force ID}, which also kills its processes; a state directory the runtime
 * cannot delete (half written by a runtime that was killed) is removed as files. The runtime is the one the agent's
 * {@code --oci-runtime=auto} picks on this host: crun on a pure cgroup2 host, else runc.
 */
final class OciLeftovers {

    private static final System.Logger LOG = System.getLogger(OciLeftovers.class.getName());
    private static final long COMMAND_TIMEOUT_SECONDS = 10;

    private OciLeftovers() { }

    /** Deletes every container under {@code runtimeRoot}; returns how many state directories there were. */
    static int delete(Path runtimeRoot) {
        if (!Files.isDirectory(runtimeRoot)) return 0;
        String runtime = runtime(Path.of("/sys/fs/cgroup"));
        List<Path> dirs;
        try (Stream<Path> s = Files.list(runtimeRoot)) {
            dirs = s.filter(Files::isDirectory).toList();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot list leftover containers in " + runtimeRoot + ": " + e.getMessage());
            return 0;
        }
        for (Path dir : dirs) {
            run(List.of(runtime, "--root", runtimeRoot.toString(), "delete", "--force", dir.getFileName().toString()));
            deleteTree(dir);
        }
        return dirs.size();
    }

    /** The agent's choice (OciRuntime.detect): crun where /sys/fs/cgroup is a pure cgroup2 hierarchy, else runc. */
    static String runtime(Path cgroupRoot) {
        boolean v2 = Files.exists(cgroupRoot.resolve("cgroup.controllers")) && !Files.isDirectory(cgroupRoot.resolve("memory"));
        return v2 ? "crun" : "runc";
    }

    private static void deleteTree(Path dir) {
        try {
            FileTrees.delete(dir);
        } catch (IOException | java.io.UncheckedIOException e) {
            LOG.log(Level.WARNING, "cannot remove the container state " + dir + ": " + e.getMessage());
        }
    }

    private static void run(List<String> command) {
        try {
            java.lang.Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                LOG.log(Level.WARNING, "timed out: " + String.join(" ", command));
            } else if (p.exitValue() != 0) {
                LOG.log(Level.DEBUG, "failed (" + p.exitValue() + "): " + String.join(" ", command));
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot run " + String.join(" ", command) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
