package org.vcj.hypervisor.mock.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Deletes the OCI containers an agent left behind when it had to be SIGKILLed: every container state directory
 * under the agent's OCI runtime root ({@code <runDir>/agent/runtime}) is removed with
 * {@code <runtime> --root ROOT delete --force ID}, which also kills its processes. The runtime is the one the
 * agent's {@code --oci-runtime=auto} picks on this host: crun on a pure cgroup2 host, else runc.
 */
final class OciLeftovers {

    private static final System.Logger LOG = System.getLogger(OciLeftovers.class.getName());
    private static final long COMMAND_TIMEOUT_SECONDS = 10;

    private OciLeftovers() { }

    static void delete(Path runtimeRoot) {
        if (!Files.isDirectory(runtimeRoot)) return;
        String runtime = Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers")) ? "crun" : "runc";
        try (Stream<Path> dirs = Files.list(runtimeRoot)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                run(List.of(runtime, "--root", runtimeRoot.toString(), "delete", "--force", dir.getFileName().toString()));
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot list leftover containers in " + runtimeRoot + ": " + e.getMessage());
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
                LOG.log(Level.WARNING, "failed (" + p.exitValue() + "): " + String.join(" ", command));
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot run " + String.join(" ", command) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
