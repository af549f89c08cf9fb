package org.vcj.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.vcj.distribution.cri.PodSandboxState;
import org.vcj.distribution.cri.PodSandboxStatus;

/** The assertions the CRI tests share. */
final class CriAsserts {
    private CriAsserts() { }

    /** The pod is Ready with an address of the test's network; that address. */
    static String readyWithPodIp(PodSandboxStatus status) {
        assertEquals(PodSandboxState.SANDBOX_READY, status.getState(), status.toString());
        String ip = status.getNetwork().getIp();
        assertTrue(ip.startsWith("198.51.100."), "the pod has an address of 198.51.100.0/24: " + status);
        return ip;
    }

    /**
     * A container run on the host (runc, vcj's mock) has a network namespace of its own, not the host's: checked
     * before a test listens on a port, so that nothing ever listens on the host's network.
     */
    static void ownNetworkNamespace(CriPods pods, String containerId) throws Exception {
        String host = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
        String inContainer = pods.sh(containerId, "readlink /proc/self/ns/net");
        assertTrue(inContainer.startsWith("exit 0\nnet:["), inContainer);
        assertTrue(!inContainer.contains(host), "the container shares the host's network namespace " + host
                + " (it must join its pod's): " + inContainer);
    }

    /** The container's CRI log file gets a line {@code TIMESTAMP STREAM F|P text} (within 15 s). */
    static void logHas(Path log, String stream, String text) throws Exception {
        Pattern line = Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?(Z|[+-]\\d\\d:\\d\\d) " + stream
                + " [FP] " + Pattern.quote(text) + "$");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        String content = "";
        while (System.nanoTime() < deadline) {
            content = Files.exists(log) ? Files.readString(log) : "(no file " + log + ")";
            if (content.lines().anyMatch(l -> line.matcher(l).matches())) return;
            Thread.sleep(200);
        }
        throw new AssertionError("no CRI log line '" + stream + " F " + text + "' in " + log + ":\n" + content);
    }

    /** Nothing of the pods is left on the host (within 30 s: a shim's cleanup runs after containerd's reply). */
    static void nothingLeft(List<String> podIds, Path vroot) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String left;
        while (!(left = CriLeftovers.of(podIds, vroot)).isEmpty()) {
            if (System.nanoTime() > deadline) throw new AssertionError("left on the host after 30 s:\n" + left);
            Thread.sleep(250);
        }
    }
}
