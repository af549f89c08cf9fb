package org.vcj.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vcj.distribution.cri.AttachRequest;
import org.vcj.distribution.cri.ContainerState;
import org.vcj.distribution.cri.ContainerStatus;
import org.vcj.distribution.cri.ExecRequest;
import org.vcj.distribution.cri.ExecSyncResponse;
import org.vcj.distribution.cri.LinuxContainerResources;
import org.vcj.distribution.cri.PodSandboxConfig;
import org.vcj.distribution.cri.PodSandboxState;
import org.vcj.distribution.cri.RemovePodSandboxRequest;
import org.vcj.distribution.cri.StopContainerRequest;
import org.vcj.distribution.cri.StopPodSandboxRequest;
import org.vcj.distribution.cri.UpdateContainerResourcesRequest;

/**
 * vcj under Kubernetes' CRI: a CRI client (grpc-java) against the CRI plugin of a containerd the test starts
 * itself ({@link CriContainerd}), with a CNI bridge network on 198.51.100.0/24 (no host address, no gateway, no
 * NAT). The {@code runc} handler first, which proves the harness (pods get addresses and reach each other), then
 * the {@code vcj} handler on the mock hypervisor (its containers run by runc on the host). The QEMU pods are
 * {@link CriQemuPodIT}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class CriPodIT {
    private static CriContainerd containerd;
    private static CriPods pods;
    private static final List<String> VCJ_PODS = new ArrayList<>();

    @BeforeAll
    static void startContainerd() throws Exception {
        containerd = CriContainerd.start("m");
        pods = new CriPods(containerd);
    }

    @AfterAll
    static void stopContainerd() throws Exception {
        if (containerd == null) return;
        try {
            containerd.removeAllPods();
            CriAsserts.nothingLeft(VCJ_PODS, containerd.vroot);
        } finally {
            containerd.close();
        }
    }

    @Test
    @Order(1)
    void theBridgeHasNoAddress() throws Exception {
        assertTrue(!containerd.bridgeAddresses().contains("inet"), "no host address: " + containerd.bridgeAddresses());
    }

    @ParameterizedTest
    @ValueSource(strings = {"runc", "vcj"})
    @Order(2)
    void podToPodTrafficOverThePodIps(String handler) throws Exception {
        CriTraffic.podReachesPod(pods, handler, true, id -> track(handler, id));
    }

    @ParameterizedTest
    @ValueSource(strings = {"runc", "vcj"})
    @Order(3)
    void podLifecycleExecAttachAndLogs(String handler) throws Exception {
        PodSandboxConfig pod = pods.pod("life-" + handler);
        String podId = track(handler, pods.run(pod, handler));
        try {
            CriAsserts.readyWithPodIp(pods.status(podId));
            String main = pods.start(podId, pod, CriPods.container("main", "sh", "-c",
                    "echo out-line; echo err-line >&2; exec sleep 3600"));
            assertEquals(ContainerState.CONTAINER_RUNNING, pods.containerStatus(main).getState());

            ExecSyncResponse sync = pods.exec(main, 60, "sh", "-c", "echo sync-out; echo sync-err >&2; exit 7");
            assertEquals(7, sync.getExitCode(), CriPods.text(sync.getStderr()));
            assertEquals("sync-out\n", CriPods.text(sync.getStdout()));
            assertEquals("sync-err\n", CriPods.text(sync.getStderr()));

            CriAsserts.logHas(pods.logDir(pod.getMetadata().getName()).resolve("main.log"), "stdout", "out-line");
            CriAsserts.logHas(pods.logDir(pod.getMetadata().getName()).resolve("main.log"), "stderr", "err-line");

            String url = containerd.cri().runtime().exec(ExecRequest.newBuilder().setContainerId(main)
                    .addAllCmd(List.of("sh", "-c", "read l; echo got-$l; echo to-err >&2; exit 3"))
                    .setStdin(true).setStdout(true).setStderr(true).build()).getUrl();
            try (CriStream exec = CriStream.open(url)) {
                exec.send("ping\n");
                assertTrue(exec.awaitEnd(Duration.ofSeconds(60)), "the exec ends: " + exec.describe());
                assertEquals("got-ping\n", exec.stdout(), exec.describe());
                assertEquals("to-err\n", exec.stderr(), exec.describe());
                assertEquals(3, exec.exitCode(), exec.describe());
            }

            String echo = pods.start(podId, pod, CriPods.container("echo", "sh", "-c",
                    "while read l; do echo attached-$l; done").setStdin(true));
            String attachUrl = containerd.cri().runtime().attach(AttachRequest.newBuilder().setContainerId(echo)
                    .setStdin(true).setStdout(true).build()).getUrl();
            try (CriStream attach = CriStream.open(attachUrl)) {
                attach.send("one\n");
                assertTrue(attach.awaitStdout("attached-one", Duration.ofSeconds(30)), attach.describe());
            }

            containerd.cri().runtime().stopContainer(StopContainerRequest.newBuilder().setContainerId(main).setTimeout(2).build());
            ContainerStatus stopped = pods.await(main, ContainerState.CONTAINER_EXITED, 60);
            assertEquals(ContainerState.CONTAINER_EXITED, stopped.getState(), stopped.toString());
            assertEquals(137, stopped.getExitCode(), "sleep as pid 1 ignores SIGTERM; killed after 2 s: " + stopped);
        } finally {
            remove(podId);
        }
        if (handler.startsWith("vcj")) CriAsserts.nothingLeft(List.of(podId), containerd.vroot);
    }

    @ParameterizedTest
    @ValueSource(strings = {"runc", "vcj"})
    @Order(4)
    void updateContainerResourcesReachesTheContainersCgroup(String handler) throws Exception {
        String[] ids = pods.runWithSleeper("upd-" + handler, handler);
        track(handler, ids[0]);
        try {
            String main = ids[1];
            long limit = 64L << 20;
            containerd.cri().runtime().updateContainerResources(UpdateContainerResourcesRequest.newBuilder()
                    .setContainerId(main).setLinux(LinuxContainerResources.newBuilder().setMemoryLimitInBytes(limit)).build());
            String seen = pods.sh(main, "cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max");
            assertTrue(seen.contains(Long.toString(limit)), "the container's cgroup has the new limit: " + seen);
        } finally {
            remove(ids[0]);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"runc", "vcj"})
    @Order(5)
    void stopAndRemovePodRightAfterTheProcessExits(String handler) throws Exception {
        PodSandboxConfig pod = pods.pod("exit-" + handler);
        String podId = track(handler, pods.run(pod, handler));
        String c = pods.start(podId, pod, CriPods.container("quick", "sh", "-c", "exit 5"));
        ContainerStatus s = pods.await(c, ContainerState.CONTAINER_EXITED, 60);
        assertEquals(ContainerState.CONTAINER_EXITED, s.getState(), s.toString());
        assertEquals(5, s.getExitCode(), s.toString());
        containerd.cri().runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(podId).build());
        containerd.cri().runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(podId).build());
        if (handler.startsWith("vcj")) CriAsserts.nothingLeft(List.of(podId), containerd.vroot);
    }

    @ParameterizedTest
    @ValueSource(strings = {"runc", "vcj"})
    @Order(6)
    void theWholeOciSpecReachesTheContainer(String handler) throws Exception {
        PodSandboxConfig pod = pods.pod("spec-" + handler).toBuilder()
                .setLinux(pods.pod("spec-" + handler).getLinux().toBuilder()
                        .putSysctls("net.ipv4.ip_local_port_range", "40000 45000")).build();
        String podId = track(handler, pods.run(pod, handler));
        try {
            CriSpecChecks.all(pods, podId, pod);
        } finally {
            remove(podId);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"runc", "vcj"})
    @Order(7)
    void tenPodsStartedInParallelAllBecomeReady(String handler) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<String> ids = new ArrayList<>();
        try {
            long t0 = System.nanoTime();
            List<Future<String>> started = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                PodSandboxConfig pod = pods.pod("par" + i + "-" + handler);
                started.add(pool.submit(() -> pods.run(pod, handler)));
            }
            List<Throwable> failures = new ArrayList<>();
            for (Future<String> f : started) {
                try {
                    ids.add(track(handler, f.get(300, TimeUnit.SECONDS)));
                } catch (java.util.concurrent.ExecutionException e) {
                    failures.add(e.getCause());
                }
            }
            long wall = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("CriPodIT: 10 " + handler + " pods in parallel Ready in " + wall + " ms");
            assertTrue(failures.isEmpty(), failures.size() + " of 10 pods failed, first: " + failures);
            for (String id : ids) assertEquals(PodSandboxState.SANDBOX_READY, pods.status(id).getState(), id);
        } finally {
            pool.shutdownNow();
            remove(ids.toArray(String[]::new));
        }
        if (handler.startsWith("vcj")) CriAsserts.nothingLeft(ids, containerd.vroot);
    }

    private static String track(String handler, String podId) {
        if (handler.startsWith("vcj")) {
            synchronized (VCJ_PODS) {
                VCJ_PODS.add(podId);
            }
        }
        return podId;
    }

    private static void remove(String... podIds) {
        pods.remove(podIds);
    }

}
