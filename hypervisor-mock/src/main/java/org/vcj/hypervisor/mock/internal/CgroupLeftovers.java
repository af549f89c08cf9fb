package org.vcj.hypervisor.mock.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.vcj.support.process.HostProcess;

/**
 * Removes the host cgroups of a sandbox whose agent and OCI runtime died before they could: the agent puts every
 * container in {@code /vcj/<sandbox>/<container>} (the {@code cgroupsPath} of the OCI bundles it wrote), so the
 * sandbox's cgroup {@code /vcj/<sandbox>} is found from those bundles. In every hierarchy (the cgroup2 root, or each
 * v1 controller and the hybrid {@code unified} one) the subtree is thawed, its processes are SIGKILLed (a process
 * that runc never finished starting has no OCI state, only its cgroup), then its directories are removed deepest
 * first. Only paths under {@code /vcj/} are touched.
 */
final class CgroupLeftovers {

    private static final System.Logger LOG = System.getLogger(CgroupLeftovers.class.getName());
    private static final Pattern CGROUPS_PATH = Pattern.compile("\"cgroupsPath\"\\s*:\\s*\"(/vcj/[A-Za-z0-9_.-]+)/[A-Za-z0-9_.-]+\"");
    private static final long EMPTY_WAIT_MILLIS = 5_000;

    private final Path cgroupRoot;

    CgroupLeftovers(Path cgroupRoot) {
        this.cgroupRoot = cgroupRoot;
    }

    /** The sandbox cgroups (e.g. {@code /vcj/sb1}) named by the OCI bundles under {@code bundlesDir}. */
    static Set<String> sandboxCgroups(Path bundlesDir) {
        Set<String> found = new LinkedHashSet<>();
        if (!Files.isDirectory(bundlesDir)) return found;
        try (Stream<Path> bundles = Files.list(bundlesDir)) {
            for (Path config : bundles.map(b -> b.resolve("config.json")).filter(Files::isRegularFile).toList()) {
                Matcher m = CGROUPS_PATH.matcher(Files.readString(config));
                if (m.find()) found.add(m.group(1));
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot read the bundles in " + bundlesDir + ": " + e.getMessage());
        }
        return found;
    }

    /** Kills what runs in {@code cgroup} (e.g. {@code /vcj/sb1}) and removes it in every hierarchy; returns what stays. */
    List<Path> remove(String cgroup) {
        List<Path> dirs = subtrees(cgroup);
        for (Path d : dirs) thaw(d);
        long deadline = System.currentTimeMillis() + EMPTY_WAIT_MILLIS;
        List<Long> pids = pids(dirs);
        while (!pids.isEmpty() && System.currentTimeMillis() < deadline) {
            pids.forEach(pid -> HostProcess.of(pid).ifPresent(HostProcess::kill));
            if (!sleep()) break;
            pids = pids(dirs);
        }
        List<Path> left = new ArrayList<>();
        for (Path d : dirs) {
            try {
                Files.deleteIfExists(d); // rmdir: a cgroup directory goes once it has no process and no child
            } catch (IOException e) {
                left.add(d);
            }
        }
        if (!left.isEmpty()) LOG.log(Level.WARNING, "cgroups still busy after SIGKILL, left in place: " + left);
        return left;
    }

    /** Every directory of the cgroup's subtree in every hierarchy, deepest first. */
    private List<Path> subtrees(String cgroup) {
        List<Path> dirs = new ArrayList<>();
        for (Path hierarchy : hierarchies()) {
            Path top = hierarchy.resolve(cgroup.substring(1));
            if (!Files.isDirectory(top)) continue;
            try (Stream<Path> walk = Files.walk(top)) {
                walk.filter(Files::isDirectory).forEach(dirs::add);
            } catch (IOException | java.io.UncheckedIOException e) {
                LOG.log(Level.DEBUG, "cannot walk " + top + ": " + e.getMessage());
            }
        }
        dirs.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        return dirs;
    }

    private List<Path> hierarchies() {
        if (Files.exists(cgroupRoot.resolve("cgroup.controllers"))) return List.of(cgroupRoot);
        try (Stream<Path> s = Files.list(cgroupRoot)) {
            return s.filter(Files::isDirectory).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static void thaw(Path dir) {
        writeIfPresent(dir.resolve("freezer.state"), "THAWED");
        writeIfPresent(dir.resolve("cgroup.freeze"), "0");
    }

    private static void writeIfPresent(Path file, String value) {
        if (!Files.exists(file)) return;
        try {
            Files.writeString(file, value);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "cannot write " + value + " to " + file + ": " + e.getMessage());
        }
    }

    private static List<Long> pids(List<Path> dirs) {
        Set<Long> pids = new LinkedHashSet<>();
        for (Path d : dirs) {
            try {
                for (String line : Files.readAllLines(d.resolve("cgroup.procs"))) {
                    if (!line.isBlank()) pids.add(Long.parseLong(line.trim()));
                }
            } catch (IOException | NumberFormatException e) {
                // removed meanwhile, or not a cgroup directory
            }
        }
        return new ArrayList<>(pids);
    }

    private static boolean sleep() {
        try {
            Thread.sleep(50);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
