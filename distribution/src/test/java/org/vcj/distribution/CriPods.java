package org.vcj.distribution;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.vcj.distribution.cri.ContainerConfig;
import org.vcj.distribution.cri.ContainerMetadata;
import org.vcj.distribution.cri.ContainerState;
import org.vcj.distribution.cri.ContainerStatus;
import org.vcj.distribution.cri.ContainerStatusRequest;
import org.vcj.distribution.cri.CreateContainerRequest;
import org.vcj.distribution.cri.DNSConfig;
import org.vcj.distribution.cri.ExecSyncRequest;
import org.vcj.distribution.cri.ExecSyncResponse;
import org.vcj.distribution.cri.ImageSpec;
import org.vcj.distribution.cri.LinuxContainerConfig;
import org.vcj.distribution.cri.LinuxContainerSecurityContext;
import org.vcj.distribution.cri.LinuxPodSandboxConfig;
import org.vcj.distribution.cri.LinuxSandboxSecurityContext;
import org.vcj.distribution.cri.NamespaceMode;
import org.vcj.distribution.cri.NamespaceOption;
import org.vcj.distribution.cri.PodSandboxConfig;
import org.vcj.distribution.cri.PodSandboxMetadata;
import org.vcj.distribution.cri.PodSandboxStatus;
import org.vcj.distribution.cri.PodSandboxStatusRequest;
import org.vcj.distribution.cri.RemovePodSandboxRequest;
import org.vcj.distribution.cri.RunPodSandboxRequest;
import org.vcj.distribution.cri.StartContainerRequest;
import org.vcj.distribution.cri.StopPodSandboxRequest;

/**
 * Pods and containers as the kubelet asks for them: a pod's config (metadata, hostname, log directory, DNS), a
 * container's config with Kubernetes' default masked and read-only paths, and the calls the tests repeat.
 */
final class CriPods {
    /** The kubelet's default masked paths (k8s.io/kubernetes pkg/securitycontext). */
    static final List<String> MASKED = List.of("/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
            "/sys/firmware");
    /** The kubelet's default read-only paths. */
    static final List<String> READONLY = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

    /** What the kubelet asks for a v1 pod: the pod's network and IPC, a PID namespace per container. */
    static final NamespaceOption KUBELET_NAMESPACES = NamespaceOption.newBuilder().setNetwork(NamespaceMode.POD)
            .setPid(NamespaceMode.CONTAINER).setIpc(NamespaceMode.POD).build();

    private final CriContainerd containerd;

    CriPods(CriContainerd containerd) {
        this.containerd = containerd;
    }

    /** A pod's config: {@code name} is its name, uid and hostname; its logs go under the harness's directory. */
    PodSandboxConfig pod(String name) {
        return PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder().setName(name).setUid("uid-" + name).setNamespace("vcj-it"))
                .setHostname(name).setLogDirectory(logDir(name).toString())
                .setDnsConfig(DNSConfig.newBuilder().addServers("192.0.2.53").addSearches("vcj.test"))
                .setLinux(LinuxPodSandboxConfig.newBuilder().setCgroupParent(containerd.cgroupParent).setSecurityContext(LinuxSandboxSecurityContext.newBuilder()
                        .setNamespaceOptions(KUBELET_NAMESPACES))).build();
    }

    Path logDir(String pod) {
        return containerd.dir.resolve("logs").resolve(pod);
    }

    /** RunPodSandbox with the handler; the pod's id. */
    String run(PodSandboxConfig pod, String handler) {
        return containerd.cri().runtime().runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(pod)
                .setRuntimeHandler(handler).build()).getPodSandboxId();
    }

    PodSandboxStatus status(String podId) {
        return containerd.cri().runtime().podSandboxStatus(PodSandboxStatusRequest.newBuilder().setPodSandboxId(podId).build())
                .getStatus();
    }

    /** A container of the busybox image running {@code command}, with the kubelet's default security context. */
    static ContainerConfig.Builder container(String name, String... command) {
        return ContainerConfig.newBuilder().setMetadata(ContainerMetadata.newBuilder().setName(name))
                .setImage(ImageSpec.newBuilder().setImage(CriContainerd.IMAGE)).addAllCommand(List.of(command))
                .setLogPath(name + ".log")
                .setLinux(LinuxContainerConfig.newBuilder().setSecurityContext(defaultSecurity()));
    }

    static LinuxContainerSecurityContext.Builder defaultSecurity() {
        return LinuxContainerSecurityContext.newBuilder().addAllMaskedPaths(MASKED).addAllReadonlyPaths(READONLY)
                .setNamespaceOptions(KUBELET_NAMESPACES);
    }

    /** CreateContainer and StartContainer in the pod; the container's id. */
    String start(String podId, PodSandboxConfig pod, ContainerConfig.Builder container) {
        String id = containerd.cri().runtime().createContainer(CreateContainerRequest.newBuilder().setPodSandboxId(podId)
                .setConfig(container).setSandboxConfig(pod).build()).getContainerId();
        containerd.cri().runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(id).build());
        return id;
    }

    /** A pod with one long-running container ({@code sleep}); its pod id and container id. */
    String[] runWithSleeper(String name, String handler) {
        PodSandboxConfig pod = pod(name);
        String podId = run(pod, handler);
        return new String[] {podId, start(podId, pod, container("main", "sleep", "3600"))};
    }

    /** StopPodSandbox and RemovePodSandbox of each pod. */
    void remove(String... podIds) {
        for (String id : podIds) {
            containerd.cri().runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(id).build());
            containerd.cri().runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(id).build());
        }
    }

    ExecSyncResponse exec(String containerId, int timeoutSeconds, String... cmd) {
        return containerd.cri().runtime().execSync(ExecSyncRequest.newBuilder().setContainerId(containerId)
                .addAllCmd(List.of(cmd)).setTimeout(timeoutSeconds).build());
    }

    /** ExecSync of {@code sh -c script}: "exit N\nstdout\nstderr", for assertions that show everything. */
    String sh(String containerId, String script) {
        ExecSyncResponse r = exec(containerId, 60, "sh", "-c", script);
        return "exit " + r.getExitCode() + "\n" + text(r.getStdout()) + "\n" + text(r.getStderr());
    }

    static String text(ByteString bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    ContainerStatus containerStatus(String containerId) {
        return containerd.cri().runtime().containerStatus(ContainerStatusRequest.newBuilder().setContainerId(containerId).build())
                .getStatus();
    }

    /** Waits for the container's state; its last status (which the caller checks). */
    ContainerStatus await(String containerId, ContainerState state, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        ContainerStatus s = containerStatus(containerId);
        while (s.getState() != state && System.nanoTime() < deadline) {
            Thread.sleep(100);
            s = containerStatus(containerId);
        }
        return s;
    }
}
