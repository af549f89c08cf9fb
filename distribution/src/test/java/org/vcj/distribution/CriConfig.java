package org.vcj.distribution;

import java.nio.file.Path;

/** The files of the test's containerd: its config.toml (CRI plugin, runtime handlers, CNI) and the CNI network. */
final class CriConfig {
    private CriConfig() { }

    /**
     * containerd's config: everything under the harness's directory; the CRI plugin enabled, its sandbox image the
     * imported pause image (never pulled), its streaming server on the loopback (port chosen by the kernel), CNI
     * from Debian's plugin directory and the harness's own network directory. {@code restrict_oom_score_adj}: a
     * host without CAP_SYS_RESOURCE (a test machine that is itself a container) cannot give the pause container
     * CRI's -998, and runc's init dies at it ("can't get final child's PID from pipe").
     */
    static String containerd(CriContainerd c) {
        String cri = "plugins.\"io.containerd.grpc.v1.cri\"";
        return """
                version = 2
                root = "%1$s/root"
                state = "%1$s/state"
                disabled_plugins = []
                [grpc]
                  address = "%2$s"
                [ttrpc]
                  address = "%2$s.ttrpc"
                [timeouts]
                  "io.containerd.timeout.shim.cleanup" = "60s"
                [%3$s]
                  sandbox_image = "%4$s"
                  stream_server_address = "127.0.0.1"
                  stream_server_port = "0"
                  disable_apparmor = true
                  restrict_oom_score_adj = true
                  [%3$s.containerd]
                    snapshotter = "overlayfs"
                    default_runtime_name = "runc"
                    [%3$s.containerd.runtimes.runc]
                      runtime_type = "io.containerd.runc.v2"
                    [%3$s.containerd.runtimes.vcj]
                      runtime_type = "io.containerd.vcj.v2"
                      [%3$s.containerd.runtimes.vcj.options]
                        ConfigPath = "%1$s/mock.conf"
                    [%3$s.containerd.runtimes.vcj-qemu]
                      runtime_type = "io.containerd.vcj.v2"
                      [%3$s.containerd.runtimes.vcj-qemu.options]
                        ConfigPath = "%1$s/qemu.conf"
                  [%3$s.cni]
                    bin_dir = "/usr/lib/cni"
                    conf_dir = "%1$s/cni"
                    max_conf_num = 1
                """.formatted(c.dir, c.socket, cri, CriContainerd.PAUSE);
    }

    /**
     * A bridge network: the bridge plugin on {@code bridge} (made beforehand without any address), not the
     * pods' gateway, no masquerading; host-local addresses from {@code subnet} with no route (pods reach only
     * their own subnet) and its lease files under {@code ipamDir}. containerd adds the loopback plugin itself.
     */
    static String bridgeNetwork(String bridge, String subnet, Path ipamDir) {
        return """
                {
                  "cniVersion": "1.0.0",
                  "name": "vcj-cri-it",
                  "plugins": [
                    {
                      "type": "bridge",
                      "bridge": "%s",
                      "isGateway": false,
                      "isDefaultGateway": false,
                      "ipMasq": false,
                      "hairpinMode": false,
                      "ipam": {
                        "type": "host-local",
                        "ranges": [[{"subnet": "%s"}]],
                        "dataDir": "%s"
                      }
                    }
                  ]
                }
                """.formatted(bridge, subnet, ipamDir);
    }
}
