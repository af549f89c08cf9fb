package org.vcj.launcher;

import java.io.File;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The one long-running vcj shim service of a state root: a launcher JVM running {@code containerd-shim serve},
 * detached in its own session ({@code setsid}), its output in {@code ROOT/}{@value #OUTPUT_FILE}. {@link #ensure}
 * returns at once when the service already accepts connections on the root's socket; otherwise it starts one
 * (under a lock, so two concurrent {@code start}s make one service) and waits until it serves. Like containerd's own
 * shims, the service gets containerd's {@code oom_score_adj} plus one: the kernel's OOM killer takes it before
 * containerd, and never before what containerd protects more.
 */
final class ShimDaemon {
    /** In the root: the service's stdout and stderr. */
    static final String OUTPUT_FILE = "shim-service.log";
    /** In the root: held while a start checks for the service and starts it. */
    static final String LOCK_FILE = "shim-service.lock";
    private static final long START_TIMEOUT_MILLIS = 90_000;

    private ShimDaemon() { }

    /** Whether a service accepts connections on {@code socket}. */
    static boolean serving(Path socket) {
        if (!Files.exists(socket)) return false;
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException notServing) {
            return false;
        }
    }

    /** Makes sure the root's service serves on {@code socket}, starting it when it does not. */
    static void ensure(Path home, GlobalOptions options, ContainerdFlags flags, Path socket) throws ContainerdShimLauncher.Failure {
        if (serving(socket)) return;
        try {
            Files.createDirectories(socket.getParent());
            Files.createDirectories(options.root());
        } catch (IOException e) {
            throw new ContainerdShimLauncher.Failure("cannot make " + socket.getParent() + ": " + e.getMessage());
        }
        Path lock = options.root().resolve(LOCK_FILE); // in the root: removed with it, wherever the socket is
        try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock held = ch.lock()) {
            if (serving(socket)) return; // another start made it while this one waited
            Process daemon = spawn(home, options, flags, socket);
            adjustOomScore(daemon.pid());
            awaitSocket(daemon, socket, options.root().resolve(OUTPUT_FILE));
        } catch (IOException e) {
            throw new ContainerdShimLauncher.Failure("cannot lock " + lock + ": " + e.getMessage());
        }
    }

    private static Process spawn(Path home, GlobalOptions options, ContainerdFlags flags, Path socket) throws ContainerdShimLauncher.Failure {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) cmd.add("/usr/bin/setsid");
        cmd.addAll(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "-Dio.grpc.netty.shaded.io.netty.jfr.enabled=false", "-Dvcj.home=" + home));
        Path archive = home.resolve("lib/vcj.jsa"); // the CLI's CDS archive (scripts/cli-cds.sh): same class path
        if (Files.isRegularFile(archive)) cmd.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
        cmd.addAll(List.of("-cp", home.resolve("lib") + "/*", VcjLauncher.class.getName(),
                "--root=" + options.root(), "--storage=" + options.storage(), VcjLauncher.SHIM_VERB, "serve"));
        ContainerdFlags service = new ContainerdFlags("serve", flags.namespace(), "", flags.address(), flags.publishBinary(),
                options.root(), socket.toString());
        cmd.addAll(service.asArgs());
        Path out = options.root().resolve(OUTPUT_FILE);
        try {
            return new ProcessBuilder(cmd).directory(options.root().toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile())).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new ContainerdShimLauncher.Failure("cannot start the vcj shim service (" + String.join(" ", cmd) + "): " + e.getMessage());
        }
    }

    /** containerd's shim.AdjustOOMScore: the parent's (containerd's) score plus one, at most 1000; failures are not fatal. */
    static void adjustOomScore(long pid) {
        try {
            long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(1L);
            int score = Integer.parseInt(Files.readString(Path.of("/proc", Long.toString(parent), "oom_score_adj")).trim());
            Files.writeString(Path.of("/proc", Long.toString(pid), "oom_score_adj"), Integer.toString(Math.min(1000, score + 1)),
                    StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            System.getLogger(ShimDaemon.class.getName()).log(System.Logger.Level.DEBUG, "oom_score_adj of " + pid + " not set: " + e);
        }
    }

    /** Waits (bounded) until the service accepts connections; fails when it exits first, quoting its output. */
    private static void awaitSocket(Process daemon, Path socket, Path output) throws ContainerdShimLauncher.Failure {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            if (serving(socket)) return;
            if (!daemon.isAlive()) {
                throw new ContainerdShimLauncher.Failure("the vcj shim service exited with status " + daemon.exitValue()
                        + " before serving; " + output + " ends with: " + tail(output));
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ContainerdShimLauncher.Failure("interrupted");
            }
        }
        daemon.destroyForcibly();
        throw new ContainerdShimLauncher.Failure("the vcj shim service did not serve on " + socket + " within "
                + START_TIMEOUT_MILLIS / 1000 + " s; see " + output);
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }
}
