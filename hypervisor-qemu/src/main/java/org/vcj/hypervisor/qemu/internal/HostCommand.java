package org.vcj.hypervisor.qemu.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.vcj.api.HypervisorException;

/**
 * Runs a host networking tool ({@code ip}, {@code tc}), optionally inside a network namespace given by its path
 * ({@code nsenter --net=PATH}), with a bounded wait. A failure throws {@code HypervisorException} with the command and
 * its stderr, for the VM it was run for.
 */
final class HostCommand {

    private static final long TIMEOUT_MILLIS = 15_000;

    private HostCommand() {
    }

    /** The command line that runs {@code args} inside the namespace at {@code netns} (as is when it is empty). */
    static List<String> in(String netns, List<String> args) {
        if (netns == null || netns.isEmpty()) return args;
        List<String> cmd = new ArrayList<>(List.of("nsenter", "--net=" + netns, "--"));
        cmd.addAll(args);
        return cmd;
    }

    /** Runs it; returns its standard output; throws when it fails or exceeds the timeout. */
    static String run(String vmId, List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
            p.getOutputStream().close();
            CompletableFuture<byte[]> stdout = drain(p.getInputStream());
            CompletableFuture<byte[]> stderr = drain(p.getErrorStream());
            if (!p.waitFor(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new HypervisorException(vmId, "network", String.join(" ", cmd) + " did not finish within " + TIMEOUT_MILLIS + " ms", null);
            }
            byte[] out = stdout.join();
            byte[] err = stderr.join();
            if (p.exitValue() != 0) {
                throw new HypervisorException(vmId, "network", String.join(" ", cmd) + " failed (exit " + p.exitValue() + "): "
                        + new String(err, StandardCharsets.UTF_8).trim(), null);
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new HypervisorException(vmId, "network", "cannot run " + String.join(" ", cmd) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HypervisorException(vmId, "network", "interrupted running " + cmd.get(0), e);
        }
    }

    /** Reads a pipe to its end in the background (both pipes at once, so neither can fill up and block the tool). */
    private static CompletableFuture<byte[]> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return in.readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        }, r -> {
            Thread t = new Thread(r, "vcj-host-command");
            t.setDaemon(true);
            t.start();
        });
    }

    /** Runs it and reports whether it succeeded (for teardown of what may already be gone). */
    static boolean tryRun(String vmId, List<String> cmd) {
        try {
            run(vmId, cmd);
            return true;
        } catch (HypervisorException e) {
            return false;
        }
    }
}
