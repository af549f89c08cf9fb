package org.vcj.distribution;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.vcj.distribution.cri.ContainerConfig;
import org.vcj.distribution.cri.LinuxContainerConfig;
import org.vcj.distribution.cri.PodSandboxConfig;
import org.vcj.distribution.cri.SecurityProfile;

/**
 * What the OCI spec CRI makes must do in a container: a RuntimeDefault seccomp profile (filter mode, and a
 * system call it forbids refused), Kubernetes' masked paths (each present one a mount that reads empty, with {@code /proc/version} added),
 * read-only paths (writes refused, beside a writable {@code /tmp}), the pod's sysctl and hostname. Each check
 * is reported on its own.
 */
final class CriSpecChecks {
    private CriSpecChecks() { }

    /** The pod must have been run with {@code net.ipv4.ip_local_port_range = "40000 45000"}. */
    static void all(CriPods pods, String podId, PodSandboxConfig pod) {
        ContainerConfig.Builder confined = CriPods.container("confined", "sleep", "3600");
        confined.setLinux(LinuxContainerConfig.newBuilder().setSecurityContext(CriPods.defaultSecurity()
                .addMaskedPaths("/proc/version").addReadonlyPaths("/root")
                .setSeccomp(SecurityProfile.newBuilder().setProfileType(SecurityProfile.ProfileType.RuntimeDefault))));
        String c = pods.start(podId, pod, confined);
        ContainerConfig.Builder unconfined = CriPods.container("unconfined", "sleep", "3600");
        unconfined.setLinux(LinuxContainerConfig.newBuilder().setSecurityContext(CriPods.defaultSecurity()
                .setSeccomp(SecurityProfile.newBuilder().setProfileType(SecurityProfile.ProfileType.Unconfined))));
        String u = pods.start(podId, pod, unconfined);
        assertAll(
                () -> {
                    String mode = pods.sh(c, "grep '^Seccomp:' /proc/self/status");
                    assertTrue(mode.matches("(?s)exit 0\nSeccomp:\\s+2\n.*"), "RuntimeDefault: a seccomp filter: " + mode);
                },
                () -> {
                    String refused = pods.sh(c, "unshare -U true");
                    assertTrue(!refused.startsWith("exit 0") && refused.contains("Operation not permitted"),
                            "RuntimeDefault refuses unshare(CLONE_NEWUSER): " + refused);
                },
                () -> {
                    String mode = pods.sh(u, "grep '^Seccomp:' /proc/self/status");
                    assertTrue(mode.matches("(?s)exit 0\nSeccomp:\\s+0\n.*"), "Unconfined: no seccomp filter: " + mode);
                },
                () -> {
                    // /proc/kcore exists only on kernels with PROC_KCORE (not on this host's nor vcj's guest kernel):
                    // each masked path that exists must be a mount that reads empty; /proc/version always exists
                    String masked = pods.sh(c, "for p in /proc/kcore /proc/keys /proc/timer_list /proc/sched_debug /proc/version; do"
                            + " [ -e $p ] || continue; grep -q \" $p \" /proc/self/mountinfo && echo \"$p masked $(cat $p | wc -c)\""
                            + " || echo \"$p NOT masked\"; done");
                    assertTrue(masked.startsWith("exit 0\n") && masked.contains("/proc/version masked 0")
                            && !masked.contains("NOT masked"), "masked paths are mounts that read empty: " + masked);
                },
                () -> {
                    String ro = pods.sh(c, "touch /root/x");
                    assertTrue(!ro.startsWith("exit 0") && ro.contains("Read-only file system"), "/root is read-only: " + ro);
                    String rw = pods.sh(c, "touch /tmp/x && echo written");
                    assertTrue(rw.startsWith("exit 0\nwritten"), "/tmp stays writable: " + rw);
                },
                () -> {
                    String procSys = pods.sh(c, "grep ' /proc/sys ' /proc/self/mountinfo");
                    assertTrue(procSys.startsWith("exit 0") && procSys.contains(" ro,") || procSys.contains(" ro "),
                            "/proc/sys is mounted read-only: " + procSys);
                },
                () -> {
                    String sysctl = pods.sh(c, "cat /proc/sys/net/ipv4/ip_local_port_range");
                    assertTrue(sysctl.matches("(?s)exit 0\n40000\\s+45000\n.*"), "the pod's sysctl is set: " + sysctl);
                },
                () -> {
                    String hostname = pods.sh(c, "hostname");
                    assertTrue(hostname.startsWith("exit 0\n" + pod.getHostname() + "\n"), "the pod's hostname: " + hostname);
                });
    }
}
