package org.vcj.distribution;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.vcj.distribution.cri.PodSandboxConfig;

/** Pod-to-pod traffic: a container of pod A serves HTTP on its pod IP, a container of pod B fetches from it. */
final class CriTraffic {
    static final int PORT = 8080;

    private CriTraffic() { }

    /**
     * Runs pods A and B with the handler, checks that B gets A's answer at A's pod IP, and removes both; their
     * ids. {@code onHost}: the containers run on the host (runc, vcj's mock), so each must first be seen in a
     * network namespace of its own (a listener must never be on the host's network). {@code made} hears of each
     * pod as soon as it exists.
     */
    static List<String> podReachesPod(CriPods pods, String handler, boolean onHost, Consumer<String> made) throws Exception {
        PodSandboxConfig a = pods.pod("a-" + handler);
        String podA = pods.run(a, handler);
        made.accept(podA);
        String podB = null;
        try {
            PodSandboxConfig b = pods.pod("b-" + handler);
            podB = pods.run(b, handler);
            made.accept(podB);
            String ipA = CriAsserts.readyWithPodIp(pods.status(podA));
            CriAsserts.readyWithPodIp(pods.status(podB));
            String client = pods.start(podB, b, CriPods.container("client", "sleep", "3600"));
            if (onHost) CriAsserts.ownNetworkNamespace(pods, client);
            String server = pods.start(podA, a, CriPods.container("server", "sh", "-c",
                    "mkdir -p /tmp/www && echo pong-from-a > /tmp/www/index.html && exec httpd -f -p " + PORT + " -h /tmp/www"));
            if (onHost) CriAsserts.ownNetworkNamespace(pods, server);
            String got = "";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!got.contains("pong-from-a") && System.nanoTime() < deadline) {
                // busybox-static's wget crashes (SIGSEGV) on Debian 12: an HTTP request by hand over nc
                got = pods.sh(client, "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 5 " + ipA + " " + PORT);
                if (!got.contains("pong-from-a")) Thread.sleep(500);
            }
            assertTrue(got.contains("pong-from-a"), "pod B reaches pod A at " + ipA + ": " + got);
            return List.of(podA, podB);
        } finally {
            if (podB != null) pods.remove(podB);
            pods.remove(podA);
        }
    }
}
