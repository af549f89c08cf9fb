package org.vcj.distribution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.vcj.distribution.ContainerdShimIT.OciArchive;
import org.vcj.distribution.ContainerdShimIT.Result;
import org.vcj.distribution.cri.ListPodSandboxRequest;
import org.vcj.distribution.cri.PodSandbox;
import org.vcj.distribution.cri.RemovePodSandboxRequest;
import org.vcj.distribution.cri.StopPodSandboxRequest;
import org.vcj.distribution.cri.VersionRequest;

/**
 * A containerd of the test's own with its CRI plugin: its own root, state, socket and config, the runtime handlers
 * {@code runc}, {@code vcj} (mock hypervisor) and {@code vcj-qemu} (QEMU with the template factory), each vcj one
 * with its {@code ConfigPath} file; a CNI bridge network from Debian's plugins on 198.51.100.0/24 whose bridge has
 * no address (no gateway, no NAT, IPv6 off on it); a busybox image and a "pause" image (busybox sleeping) imported
 * into the {@code k8s.io} namespace, no registry. {@link #close} removes every pod, stops containerd and removes
 * the bridge and the directories, whatever failed before.
 */
final class CriContainerd implements AutoCloseable {
    static final String IMAGE = "docker.io/vcj/busybox:it";
    static final String PAUSE = "docker.io/vcj/pause:it";
    static final String SUBNET = "198.51.100.0/24";

    final Path dir;
    /** The vcj state root of both vcj handlers: short, since the shim's sockets live under it. */
    final Path vroot;
    final Path socket;
    final String bridge;
    /** The pods' parent cgroup (containerd would use /k8s.io, and leave it): removed at the end. */
    final String cgroupParent;
    private Process containerd;
    private CriClient client;
    private boolean template;

    private CriContainerd(String tag) {
        long pid = ProcessHandle.current().pid();
        dir = Path.of("/tmp", "vcj-cri-" + tag + pid);
        vroot = Path.of("/tmp", "vr" + tag + pid);
        socket = dir.resolve("c.sock");
        cgroupParent = "/vcj-cri-" + tag + pid;
        bridge = ("vcjcri" + tag + pid).substring(0, Math.min(15, ("vcjcri" + tag + pid).length()));
    }

    /** Starts it ({@code tag}: one letter that keeps two harnesses of one JVM apart). */
    static CriContainerd start(String tag) throws Exception {
        CriContainerd c = new CriContainerd(tag);
        try {
            c.startContainerd();
            return c;
        } catch (Exception | Error e) {
            c.close();
            throw e;
        }
    }

    CriClient cri() {
        return client;
    }

    private void startContainerd() throws Exception {
        for (String tool : List.of("/usr/bin/containerd", "/usr/bin/ctr", "/usr/lib/cni/bridge", "/usr/lib/cni/host-local",
                "/usr/lib/cni/loopback")) {
            if (!Files.isExecutable(Path.of(tool))) {
                throw new IllegalStateException(tool + " is needed (Debian packages containerd and"
                        + " containernetworking-plugins; scripts/setup.sh installs them)");
            }
        }
        Distribution.deleteTree(dir);
        Files.createDirectories(dir.resolve("cni"));
        Files.createDirectories(vroot);
        Files.writeString(dir.resolve("mock.conf"), "root=" + vroot + "\nhypervisor=mock\n");
        Files.writeString(dir.resolve("qemu.conf"), "root=" + vroot + "\nhypervisor=qemu\nfactory=template\n");
        Files.writeString(dir.resolve("config.toml"), CriConfig.containerd(this));
        Files.writeString(dir.resolve("cni/10-vcj-it.conflist"), CriConfig.bridgeNetwork(bridge, SUBNET, dir.resolve("ipam")));
        makeBridge();
        ProcessBuilder pb = new ProcessBuilder("containerd", "--config", dir.resolve("config.toml").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("containerd.log").toFile());
        pb.environment().put("PATH", Distribution.home().resolve("bin") + ":" + System.getenv("PATH"));
        containerd = pb.start();
        client = new CriClient(socket, 180);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                client.runtime().version(VersionRequest.newBuilder().setVersion("v1").build());
                break;
            } catch (io.grpc.StatusRuntimeException notYet) {
                if (!containerd.isAlive()) throw new IllegalStateException("containerd exited: " + log());
                if (System.nanoTime() > deadline) throw new IllegalStateException("containerd's CRI did not serve in 60 s: " + log());
                Thread.sleep(200);
            }
        }
        Path rootfs = Distribution.home().resolve("rootfs/busybox");
        importImage(OciArchive.build(rootfs, dir.resolve("img-busybox"), IMAGE, "\"sh\""));
        importImage(OciArchive.build(rootfs, dir.resolve("img-pause"), PAUSE, "\"sleep\",\"2147483647\""));
    }

    /** The bridge made beforehand (the CNI bridge plugin takes an existing one): up, no IPv4, no IPv6 address. */
    private void makeBridge() throws Exception {
        ip("link", "del", bridge);
        check(ip("link", "add", "name", bridge, "type", "bridge"));
        Files.writeString(Path.of("/proc/sys/net/ipv6/conf", bridge, "disable_ipv6"), "1");
        check(ip("link", "set", bridge, "up"));
    }

    /** Makes the QEMU template of the root beforehand ({@code vcj factory init}), so no pod pays for it. */
    void makeTemplate() throws Exception {
        Cli.Result r = new Cli(vroot, "fs").run("factory", "init", "--hypervisor=qemu");
        if (r.code() != 0) throw new IllegalStateException("vcj factory init: " + r.out() + r.err());
        template = true;
    }

    String bridgeAddresses() throws Exception {
        return ip("-o", "addr", "show", "dev", bridge).out();
    }

    private void importImage(Path archive) throws Exception {
        check(ContainerdShimIT.call(List.of("ctr", "-a", socket.toString(), "-n", "k8s.io", "images", "import", archive.toString()), null));
    }

    String log() throws IOException {
        Path log = dir.resolve("containerd.log");
        if (!Files.exists(log)) return "(no log)";
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    @Override
    public void close() throws Exception {
        List<Throwable> failures = new ArrayList<>();
        try {
            if (client != null && containerd != null && containerd.isAlive()) removeAllPods();
        } catch (Exception | Error e) {
            failures.add(e);
        }
        try {
            if (client != null) client.close();
            if (containerd != null) {
                containerd.destroy();
                if (!containerd.waitFor(15, TimeUnit.SECONDS)) containerd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            Cli cli = new Cli(vroot, "fs");
            if (Files.isDirectory(vroot.resolve("sandboxes"))) {
                for (String line : cli.run("list").out().lines().skip(1).toList()) cli.run("delete", "--force", line.split("\\s+")[0]);
            }
            if (template) cli.run("factory", "destroy");
            Distribution.stopProcessesMentioning(dir.toString());
            Distribution.stopProcessesMentioning(vroot.toString());
            CriLeftovers.unmountUnder(dir);
            CriLeftovers.unmountUnder(vroot);
            ip("link", "del", bridge);
            removeCgroupParent();
            Distribution.deleteTree(dir);
            Distribution.deleteTree(vroot);
        } catch (Exception | Error e) {
            failures.add(e);
        }
        if (!failures.isEmpty()) {
            IllegalStateException e = new IllegalStateException("tearing down the test's containerd failed");
            failures.forEach(e::addSuppressed);
            throw e;
        }
    }

    private void removeCgroupParent() throws IOException {
        try (java.util.stream.Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path h : hierarchies.toList()) {
                Path parent = h.resolve(cgroupParent.substring(1));
                if (Files.isDirectory(parent)) Files.delete(parent); // empty once every pod is gone; else it says so
            }
        }
    }

    /** StopPodSandbox and RemovePodSandbox of every pod this containerd has, in any state. */
    void removeAllPods() {
        List<String> failed = new ArrayList<>();
        for (PodSandbox pod : client.runtime().listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsList()) {
            try {
                client.runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(pod.getId()).build());
                client.runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(pod.getId()).build());
            } catch (RuntimeException e) {
                failed.add(pod.getId() + ": " + e.getMessage());
            }
        }
        if (!failed.isEmpty()) throw new IllegalStateException("pods left in containerd: " + failed);
    }

    static Result ip(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        return ContainerdShimIT.call(cmd, null);
    }

    private static void check(Result r) {
        if (r.code() != 0) throw new IllegalStateException(r.all());
    }
}
