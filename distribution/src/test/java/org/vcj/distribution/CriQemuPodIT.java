package org.vcj.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.vcj.distribution.cri.ContainerState;
import org.vcj.distribution.cri.ContainerStatus;
import org.vcj.distribution.cri.PodSandboxConfig;

/**
 * QEMU pods under the CRI: the {@code vcj-qemu} handler ({@code hypervisor=qemu}, {@code factory=template}) of the
 * test's own containerd ({@link CriContainerd}): a pod's lifecycle in a VM, and pod-to-pod traffic over the pod
 * IPs through both VMs. Three VMs in all (one pod, then two), every wait bounded.
 */
@Tag("vm")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class CriQemuPodIT {
    static final String HANDLER = "vcj-qemu";
    private static CriContainerd containerd;
    private static CriPods pods;

    @BeforeAll
    static void startContainerd() throws Exception {
        containerd = CriContainerd.start("q");
        pods = new CriPods(containerd);
        containerd.makeTemplate();
    }

    @AfterAll
    static void stopContainerd() throws Exception {
        if (containerd != null) containerd.close();
    }

    @Test
    @Order(1)
    void podLifecycleInAVm() throws Exception {
        PodSandboxConfig pod = pods.pod("vm-life");
        String podId = pods.run(pod, HANDLER);
        try {
            CriAsserts.readyWithPodIp(pods.status(podId));
            String main = pods.start(podId, pod, CriPods.container("main", "sh", "-c", "echo vm-out; exec sleep 3600"));
            String kernel = pods.sh(main, "uname -r; exit 4");
            String host = ContainerdShimIT.call(List.of("uname", "-r"), null).out().strip();
            assertTrue(kernel.startsWith("exit 4\n") && !kernel.contains(host), "the guest's kernel, not the host's: " + kernel);
            CriAsserts.logHas(pods.logDir("vm-life").resolve("main.log"), "stdout", "vm-out");
            String quick = pods.start(podId, pod, CriPods.container("quick", "sh", "-c", "exit 6"));
            ContainerStatus s = pods.await(quick, ContainerState.CONTAINER_EXITED, 120);
            assertEquals(6, s.getExitCode(), s.toString());
        } finally {
            pods.remove(podId);
        }
        CriAsserts.nothingLeft(List.of(podId), containerd.vroot);
    }

    @Test
    @Order(2)
    void podToPodTrafficThroughBothVms() throws Exception {
        List<String> ids = CriTraffic.podReachesPod(pods, HANDLER, false, id -> { });
        CriAsserts.nothingLeft(ids, containerd.vroot);
    }
}
