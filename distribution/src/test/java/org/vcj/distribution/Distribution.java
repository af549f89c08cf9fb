package org.vcj.distribution;

import static org.ops4j.pax.exam.CoreOptions.bootDelegationPackages;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.ops4j.pax.exam.Option;

/**
 * The assembled distribution (target/vcj) as pax-exam options: exactly the bundles it ships, and the framework
 * properties its launcher sets, with a private state root.
 */
final class Distribution {

    private Distribution() { }

    static Path home() {
        return Path.of(System.getProperty("vcj.dist", "target/vcj")).toAbsolutePath();
    }

    static Option[] options(Path root) {
        Path home = home();
        List<Option> options = new ArrayList<>();
        try (Stream<Path> jars = Files.list(home.resolve("bundle"))) {
            // Like the launcher: every jar is installed; the interactive console (gogo.jline) only started for `vcj shell`.
            jars.filter(p -> p.toString().endsWith(".jar")).sorted()
                    .forEach(p -> options.add(bundle("reference:" + p.toUri())
                            .start(!p.getFileName().toString().startsWith("org.apache.felix.gogo.jline"))));
        } catch (IOException e) {
            throw new IllegalStateException("no assembled distribution at " + home + "; run mvn package first", e);
        }
        options.add(junitBundles());
        options.add(cleanCaches());
        options.add(systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"));
        options.add(frameworkProperty("felix.bootdelegation.implicit").value("false"));
        options.add(bootDelegationPackages("sun.*", "com.sun.*", "jdk.*"));
        options.add(systemProperty("io.grpc.netty.shaded.io.netty.jfr.enabled").value("false"));
        options.add(frameworkProperty("vcj.root").value(root.toString()));
        options.add(frameworkProperty("vcj.storage").value("fs"));
        options.add(frameworkProperty("vcj.agent.jar").value(home.resolve("agent/vcj-agent.jar").toString()));
        options.add(frameworkProperty("vcj.rootfs").value(home.resolve("rootfs/busybox").toString()));
        options.add(frameworkProperty("vcj.home").value(home.toString()));
        options.add(frameworkProperty("vcj.guest.dir").value(home.resolve("guest").toString()));
        options.add(frameworkProperty("felix.fileinstall.dir").value(root.resolve("plugins").toString()));
        return options.toArray(Option[]::new);
    }

    /** Host processes whose command line mentions {@code text} (e.g. a sandbox's run directory). */
    static List<String> processesMentioning(String text) {
        List<String> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                    if (cmd.contains(text) && ProcessHandle.current().pid() != Long.parseLong(p.getFileName().toString())) {
                        found.add(p.getFileName() + ": " + cmd);
                    }
                } catch (IOException gone) {
                    // the process ended while we looked
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return found;
    }

    /** Host processes in a cgroup whose path contains {@code text} (containers run in /vcj/<sandbox>/<container>). */
    static List<String> processesInCgroup(String text) {
        List<String> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    if (Files.readString(p.resolve("cgroup")).contains(text)) found.add(p.getFileName().toString());
                } catch (IOException gone) {
                    // the process ended while we looked
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return found;
    }

    /** SIGTERM to every process whose command line mentions {@code text}; SIGKILL to those left after 10 s. */
    static void stopProcessesMentioning(String text) throws InterruptedException {
        List<ProcessHandle> procs = processesMentioning(text).stream()
                .map(line -> ProcessHandle.of(Long.parseLong(line.substring(0, line.indexOf(':')))))
                .flatMap(java.util.Optional::stream).toList();
        procs.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (procs.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) Thread.sleep(100);
        procs.forEach(ProcessHandle::destroyForcibly);
    }

    /** Deletes a directory tree; a missing one is fine. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
