package org.vcj.distribution;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.vcj.distribution.cri.ExecSyncResponse;
import org.vcj.distribution.cri.PodSandboxConfig;

/**
 * The CRI benchmark ({@code scripts/bench-cri.sh}; prints figures, not a test). In one run, against the test
 * harness's own containerd ({@link CriContainerd}): pod start (RunPodSandbox + CreateContainer + StartContainer +
 * ExecSync of {@code echo}) on the mock and on QEMU with the template factory, the first pod and the next ones; the
 * same sandbox made inside one warm JVM ({@code vcj shell -c} with several {@code vc:run}) as the baseline; 10 mock
 * pods started in parallel (wall time until all are Ready); PSS of vcj's host processes (QEMU not counted) per pod
 * at 1 and at 10 pods; the ratios against issue 16's targets. Arguments: mock pods, QEMU pods (default 4 and 3).
 */
public final class CriBench {
    private CriBench() { }

    public static void main(String[] args) throws Exception {
        int mockPods = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int qemuPods = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        try (CriContainerd containerd = CriContainerd.start("b")) {
            CriPods pods = new CriPods(containerd);
            System.err.println("making the template...");
            containerd.makeTemplate();
            List<Double> mock = podStarts(pods, "vcj", "m", 0, 1);
            double pss1 = CriPss.perPod(containerd, 1);
            mock.addAll(podStarts(pods, "vcj", "m", 1, mockPods));
            containerd.removeAllPods();
            double parallel = parallelReady(pods, 10);
            double pss10 = CriPss.perPod(containerd, 10);
            containerd.removeAllPods();
            List<Double> qemu = podStarts(pods, "vcj-qemu", "q", 0, qemuPods);
            double pssQemu = CriPss.perPod(containerd, qemuPods);
            containerd.removeAllPods();
            double warmMock = inJvm(containerd.vroot, "vc:run --hypervisor=mock -- echo hi", 5);
            double warmTemplate = inJvm(containerd.vroot, "vc:run --hypervisor=qemu --factory=template -- echo hi", 3);
            print(mock, qemu, warmMock, warmTemplate, parallel, pss1, pss10, pssQemu, qemuPods);
        }
    }

    /** Pod start times (s) of pods {@code from} to {@code to - 1} one after the other, each kept running. */
    private static List<Double> podStarts(CriPods pods, String handler, String prefix, int from, int to) {
        List<Double> times = new ArrayList<>();
        for (int i = from; i < to; i++) {
            System.err.println(handler + " pod " + (i + 1) + "/" + to + "...");
            long t0 = System.nanoTime();
            PodSandboxConfig pod = pods.pod(prefix + i);
            String podId = pods.run(pod, handler);
            String c = pods.start(podId, pod, CriPods.container("main", "sleep", "3600"));
            ExecSyncResponse r = pods.exec(c, 60, "echo", "hi");
            if (r.getExitCode() != 0 || !CriPods.text(r.getStdout()).equals("hi\n")) {
                throw new IllegalStateException("ExecSync of echo in " + podId + ": " + r);
            }
            times.add((System.nanoTime() - t0) / 1e9);
        }
        return times;
    }

    /** Wall time (s) until {@code n} mock pods started at once are all Ready, each with a sleeping container. */
    private static double parallelReady(CriPods pods, int n) throws Exception {
        System.err.println(n + " mock pods in parallel...");
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            long t0 = System.nanoTime();
            List<Future<String>> ready = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                PodSandboxConfig pod = pods.pod("p" + i);
                ready.add(pool.submit(() -> pods.run(pod, "vcj")));
            }
            List<String> ids = new ArrayList<>();
            for (Future<String> f : ready) ids.add(f.get(600, TimeUnit.SECONDS));
            double wall = (System.nanoTime() - t0) / 1e9;
            for (int i = 0; i < n; i++) {
                PodSandboxConfig pod = pods.pod("p" + i);
                pods.start(ids.get(i), pod, CriPods.container("main", "sleep", "3600"));
            }
            return wall;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Seconds per {@code run} inside one {@code vcj shell -c}: (shell with k runs - shell with none) / k. */
    private static double inJvm(Path vroot, String run, int k) throws Exception {
        System.err.println("in one JVM: " + run + " x" + k + "...");
        Cli cli = new Cli(vroot, "fs");
        long t0 = System.nanoTime();
        check(cli.run("shell", "-c", "vc:list"));
        long t1 = System.nanoTime();
        check(cli.run("shell", "-c", "vc:list; " + (run + "; ").repeat(k)));
        long t2 = System.nanoTime();
        return ((t2 - t1) - (t1 - t0)) / 1e9 / k;
    }

    private static void check(Cli.Result r) {
        if (r.code() != 0) throw new IllegalStateException("vcj shell: " + r.out() + r.err());
    }

    private static void print(List<Double> mock, List<Double> qemu, double warmMock, double warmTemplate, double parallel,
            double pss1, double pss10, double pssQemu, int qemuPods) {
        double mockNext = median(mock.subList(1, mock.size()));
        double qemuNext = median(qemu.subList(1, qemu.size()));
        System.out.printf("pod start = RunPodSandbox + CreateContainer + StartContainer + ExecSync(echo); seconds%n");
        System.out.printf("mock  first pod %6.2f   next (median of %d) %6.2f   in one warm JVM (vc:run) %6.2f   target <= 0.5: %s%n",
                mock.get(0), mock.size() - 1, mockNext, warmMock, verdict(mockNext <= 0.5, mockNext / 0.5));
        System.out.printf("qemu+template first %6.2f   next (median of %d) %6.2f   in one warm JVM %6.2f   ratio %.2f (target <= 1.3): %s%n",
                qemu.get(0), qemu.size() - 1, qemuNext, warmTemplate, qemuNext / warmTemplate,
                verdict(qemuNext / warmTemplate <= 1.3, qemuNext / warmTemplate / 1.3));
        System.out.printf("10 mock pods in parallel: all Ready after %6.2f s (target: all Ready): met%n", parallel);
        System.out.printf("PSS of vcj's host processes per pod (QEMU not counted): mock 1 pod %6.1f MiB, mock 10 pods %6.1f MiB,"
                + " qemu %d pods %6.1f MiB; target <= 10 MiB at 10 pods: %s%n", pss1, pss10, qemuPods, pssQemu,
                verdict(pss10 <= 10, pss10 / 10));
        System.out.printf("all starts (s): mock %s, qemu+template %s%n", mock, qemu);
    }

    private static String verdict(boolean met, double factor) {
        return met ? "met" : String.format("missed (%.1fx the target)", factor);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.isEmpty() ? Double.NaN : sorted.get((sorted.size() - 1) / 2);
    }

}
