package org.vcj.distribution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.vcj.distribution.cri.ExecSyncResponse;
import org.vcj.distribution.cri.PodSandboxConfig;

/**
 * The containerd pod part of the soak ({@code scripts/soak.sh}; prints figures, not a test): against the test
 * harness's own containerd with CRI ({@link CriContainerd}), while one pod keeps the root's shim service up, N cycles
 * of a mock pod (RunPodSandbox, CreateContainer and StartContainer of a sleeping container, ExecSync of {@code echo},
 * StopPodSandbox, RemovePodSandbox). After one warm-up cycle and after the last cycle, each followed by 65 s without
 * calls, it counts what a leak would leave — the shim service's open fds and threads (the JIT's compiler threads not counted; their names go to stderr), the
 * other processes naming the harness or vcj's root, CNI network namespaces, mounts, cgroups under the pods' parent
 * and the mock's {@code /vcj/<pod id>}, files under vcj's root — and prints each count with its delta in the soak's
 * table format. Argument: N (default 20). Exit status 1 when a cycle failed.
 */
public final class CriSoak {
    private CriSoak() { }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int failed = 0;
        long t0;
        long t1;
        Map<String, Long> before;
        Map<String, Long> after;
        try (CriContainerd containerd = CriContainerd.start("s")) {
            CriPods pods = new CriPods(containerd);
            String keeper = pods.runWithSleeper("keeper", "vcj")[0];
            cycle(pods, "warm");
            settle();
            before = counts(containerd);
            t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                try {
                    cycle(pods, "s" + i);
                } catch (RuntimeException e) {
                    failed++;
                    System.err.println("pod cycle " + i + ": " + e.getMessage());
                }
            }
            t1 = System.nanoTime();
            settle();
            after = counts(containerd);
            pods.remove(keeper);
        }
        for (Map.Entry<String, Long> e : before.entrySet()) {
            long a = after.get(e.getKey());
            System.out.printf("%-24s %8d %8d %8d%n", e.getKey(), e.getValue(), a, a - e.getValue());
        }
        System.out.printf("failed pod cycles: %d; time: %d containerd pod cycles %.0f s (%.2f s each)%n", failed, n,
                (t1 - t0) / 1e9, (t1 - t0) / 1e9 / Math.max(1, n));
        System.exit(failed == 0 ? 0 : 1);
    }

    /**
     * Waits until the shim service's idle pool threads have ended (the JDK's cached pools keep one 60 s): its thread
     * count then says what the pods left, not how many calls happened to overlap.
     */
    private static void settle() throws InterruptedException {
        Thread.sleep(65_000);
    }

    private static void cycle(CriPods pods, String name) {
        PodSandboxConfig pod = pods.pod(name);
        String podId = pods.run(pod, "vcj");
        try {
            String c = pods.start(podId, pod, CriPods.container("main", "sleep", "3600"));
            ExecSyncResponse r = pods.exec(c, 60, "echo", "hi");
            if (r.getExitCode() != 0 || !CriPods.text(r.getStdout()).equals("hi\n")) {
                throw new IllegalStateException("ExecSync of echo in " + podId + ": " + r);
            }
        } finally {
            pods.remove(podId);
        }
    }

    private static Map<String, Long> counts(CriContainerd containerd) throws IOException {
        Map<String, Long> c = new LinkedHashMap<>();
        List<String> service = Distribution.processesMentioning(containerd.vroot.toString()).stream()
                .filter(p -> p.contains("containerd-shim serve")).toList();
        String pid = service.isEmpty() ? "" : service.get(0).substring(0, service.get(0).indexOf(':'));
        c.put("pod shim service fds", pid.isEmpty() ? 0 : count(Path.of("/proc", pid, "fd")));
        // the JVM's compiler threads come and go with its JIT's queue (UseDynamicNumberOfCompilerThreads): not counted
        c.put("pod shim service thr.", pid.isEmpty() ? 0 : threadNames(pid).stream().filter(t -> !t.contains("CompilerThre")).count());
        if (!pid.isEmpty()) System.err.println("shim service threads: " + threadNames(pid));
        java.util.Set<String> procs = new java.util.HashSet<>(Distribution.processesMentioning(containerd.vroot.toString()));
        procs.addAll(Distribution.processesMentioning(containerd.dir.toString()));
        c.put("pod other processes", procs.stream().filter(p -> !p.contains("containerd-shim serve")
                && !p.contains("containerd --config")).count());
        c.put("pod netns (CNI's)", names(Path.of("/var/run/netns")).stream().filter(f -> f.startsWith("cni-")).count());
        c.put("pod mounts", Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().map(l -> l.split(" ")[4])
                .filter(p -> p.startsWith(containerd.vroot + "/") || p.startsWith(containerd.dir + "/")).count());
        c.put("pod cgroups", cgroups(containerd.cgroupParent));
        try (Stream<Path> files = Files.walk(containerd.vroot)) {
            c.put("pod files under root", files.filter(p -> !p.getFileName().toString().startsWith("vcj.log")).count());
        }
        return c;
    }

    private static long count(Path dir) throws IOException {
        return names(dir).size();
    }

    private static List<String> names(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** The names of the threads of {@code pid}, one per thread. */
    private static List<String> threadNames(String pid) throws IOException {
        List<String> names = new java.util.ArrayList<>();
        for (String task : names(Path.of("/proc", pid, "task"))) {
            try {
                names.add(Files.readString(Path.of("/proc", pid, "task", task, "comm")).strip());
            } catch (IOException ended) {
                // the thread ended meanwhile
            }
        }
        return names;
    }

    private static long cgroups(String parent) throws IOException {
        long n = 0;
        try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path h : hierarchies.toList()) {
                Path dir = h.resolve(parent.substring(1));
                if (Files.isDirectory(dir)) {
                    try (Stream<Path> s = Files.walk(dir)) {
                        n += s.filter(Files::isDirectory).count();
                    }
                }
                Path vcj = h.resolve("vcj"); // the mock's sandboxes: /vcj/<pod id>, 64 hex digits under CRI
                if (Files.isDirectory(vcj)) {
                    try (Stream<Path> s = Files.list(vcj)) {
                        n += s.filter(d -> d.getFileName().toString().matches("[0-9a-f]{64}")).count();
                    }
                }
            }
        }
        return n;
    }
}
