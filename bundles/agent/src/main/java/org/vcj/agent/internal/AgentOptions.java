package org.vcj.agent.internal;

import java.nio.file.Path;

/**
 * The agent's command line, validated.
 *
 * @param listen   socket path of {@code --listen=unix:///abs/path.sock}, or null
 * @param serial   the virtio-serial port of {@code --serial=}, or null
 * @param runtime  "crun" or "runc" (auto resolved)
 * @param stateDir {@code --state-dir}, default /run/vcj-agent
 * @param noPivot  pass --no-pivot to {@code run}
 * @param guest    {@code --guest}: the agent owns its VM and may set its hostname, clock and random pool
 * @param shareTag {@code --share-tag=TAG}: the 9p tag of the host's shared directory, mounted on CreateSandbox
 *                 (guest only), or null
 */
public record AgentOptions(Path listen, Path serial, String runtime, Path stateDir, boolean noPivot, boolean guest,
                           String shareTag) {
    /** Usage text printed on a bad command line. */
    public static final String USAGE = "usage: java -jar vcj-agent.jar (--listen=unix:///abs/agent.sock | "
            + "--serial=/dev/virtio-ports/agent.channel.0) [--oci-runtime=auto|crun|runc] [--state-dir=DIR] [--no-pivot]"
            + " [--guest [--share-tag=TAG]]";

    /** Parses the arguments; throws IllegalArgumentException naming the bad one. */
    public static AgentOptions parse(String... args) {
        Path listen = null;
        Path serial = null;
        String rt = "auto";
        Path state = Path.of("/run/vcj-agent");
        boolean noPivot = false;
        boolean guest = false;
        String shareTag = null;
        for (String a : args) {
            if (a.startsWith("--listen=")) {
                String v = a.substring(9);
                if (!v.startsWith("unix://") || !v.substring(7).startsWith("/")) {
                    throw new IllegalArgumentException("--listen takes unix:///absolute/path.sock, got " + v);
                }
                listen = Path.of(v.substring(7));
            } else if (a.startsWith("--serial=")) {
                serial = Path.of(a.substring(9));
            } else if (a.startsWith("--oci-runtime=")) {
                rt = a.substring(14);
                if (!rt.equals("auto") && !rt.equals("crun") && !rt.equals("runc")) {
                    throw new IllegalArgumentException("--oci-runtime takes auto, crun or runc, got " + rt);
                }
            } else if (a.startsWith("--state-dir=")) {
                state = Path.of(a.substring(12)).toAbsolutePath();
            } else if (a.equals("--no-pivot")) {
                noPivot = true;
            } else if (a.equals("--guest")) {
                guest = true;
            } else if (a.startsWith("--share-tag=") && a.length() > 12) {
                shareTag = a.substring(12);
            } else {
                throw new IllegalArgumentException("unknown argument " + a);
            }
        }
        if ((listen == null) == (serial == null)) {
            throw new IllegalArgumentException("give exactly one of --listen and --serial");
        }
        if (shareTag != null && !guest) {
            throw new IllegalArgumentException("--share-tag needs --guest: only an agent inside its VM mounts the share");
        }
        return new AgentOptions(listen, serial, rt.equals("auto") ? OciRuntime.detect() : rt, state, noPivot, guest,
                shareTag);
    }
}
