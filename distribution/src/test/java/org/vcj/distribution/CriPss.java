package org.vcj.distribution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Host memory of vcj (proportional set size, {@code /proc/PID/smaps_rollup}), QEMU not counted. */
final class CriPss {
    private CriPss() { }

    /**
     * The PSS (MiB) of every host process of vcj: those whose command line names the harness's directory or the
     * vcj root (shims, the mock's agents), QEMU, containerd itself and runc's shims left out, divided by
     * {@code pods}; its parts are printed to stderr.
     */
    static double perPod(CriContainerd containerd, int pods) throws IOException {
        double shims = 0;
        double others = 0;
        java.util.Set<String> seen = new java.util.LinkedHashSet<>(Distribution.processesMentioning(containerd.dir.toString()));
        seen.addAll(Distribution.processesMentioning(containerd.vroot.toString()));
        for (String line : seen) {
            String cmd = line.substring(line.indexOf(':') + 2);
            if (cmd.contains("qemu-system") || cmd.startsWith("containerd --config") || cmd.contains("containerd-shim-runc")) continue;
            double mib = pssMiB(line.substring(0, line.indexOf(':')));
            if (line.contains("containerd-shim")) shims += mib; else others += mib;
        }
        System.err.printf("PSS at %d pods: shims %.1f MiB, other vcj processes %.1f MiB%n", pods, shims, others);
        return (shims + others) / pods;
    }

    private static double pssMiB(String pid) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc", pid, "smaps_rollup"))) {
                if (l.startsWith("Pss:")) return Long.parseLong(l.replaceAll("\\D", "")) / 1024.0;
            }
        } catch (IOException gone) {
            // the process ended
        }
        return 0;
    }
}
