package org.vcj.agent.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * ListProcesses, as the Kata agent answers it: format {@code json} is the JSON array of the container's pids (the
 * OCI runtime's {@code ps --format json}); format {@code table} is {@code ps -ef} limited to the container's
 * processes. Without args (or with {@code -ef}) the table is made from {@code /proc} ({@link ProcfsProcessTable}),
 * so it has the same columns on the host and in a guest whose {@code ps} is busybox's; other args run the agent's
 * {@code ps} with them and keep the header and the lines whose PID column is one of the container's. Pids are
 * those of the agent's pid namespace. Thread-safe.
 */
final class ProcessLister {
    private static final long PS_TIMEOUT_MS = 10_000;
    private final OciRuntime runtime;

    ProcessLister(OciRuntime runtime) {
        this.runtime = runtime;
    }

    /**
     * @param c      the container
     * @param format {@code table} or {@code json} (already checked)
     * @param args   ps arguments for the table; empty means {@code -ef}
     * @throws io.grpc.StatusRuntimeException INVALID_ARGUMENT when ps rejects the args or prints no PID column
     */
    byte[] list(Container c, String format, List<String> args) throws IOException {
        OciRuntime.Result json = runtime.check("ps", "--format", "json", c.id());
        if (format.equals("json")) return json.stdout();
        List<Integer> pids = pids(json.out(), c.id());
        if (args.isEmpty() || args.equals(List.of("-ef")) || args.equals(List.of("-e", "-f"))) {
            ProcfsProcessTable table = new ProcfsProcessTable(Path.of("/proc"),
                    List.of(c.rootfs().resolve("etc/passwd"), Path.of("/etc/passwd")));
            return table.render(pids, Instant.now()).getBytes(StandardCharsets.UTF_8);
        }
        return filtered(args, pids, c.id()).getBytes(StandardCharsets.UTF_8);
    }

    static List<Integer> pids(String json, String cid) {
        Object v;
        try {
            v = JsonReader.parse(json);
        } catch (IllegalArgumentException e) {
            throw AgentErrors.internal("ps --format json of container " + cid + " printed no JSON: " + json.trim(), e);
        }
        List<Integer> pids = new ArrayList<>();
        if (v instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Number n) pids.add(n.intValue());
            }
        }
        return pids;
    }

    /** {@code ps ARGS}, keeping the header and the lines of these pids. */
    private static String filtered(List<String> args, List<Integer> pids, String cid) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ps"));
        cmd.addAll(args);
        OciRuntime.Result r = OciRuntime.exec(cmd, PS_TIMEOUT_MS);
        if (r.code() != 0) {
            throw AgentErrors.invalid("ps " + String.join(" ", args) + " failed for container " + cid + " (exit " + r.code()
                    + "): " + r.stderr().trim() + "; give arguments this ps accepts, or none for ps -ef");
        }
        return keepPids(r.out(), pids, String.join(" ", args), cid);
    }

    /** The header and the lines whose PID column holds one of {@code pids}. */
    static String keepPids(String psOutput, List<Integer> pids, String args, String cid) {
        String[] lines = psOutput.split("\n");
        List<String> header = List.of(lines[0].trim().split("\\s+"));
        int col = header.indexOf("PID");
        if (col < 0) {
            throw AgentErrors.invalid("ps " + args + " prints no PID column, so the processes of container " + cid
                    + " cannot be picked out: include the pid in the output (e.g. -o pid,args)");
        }
        Set<String> wanted = pids.stream().map(String::valueOf).collect(Collectors.toSet());
        StringBuilder b = new StringBuilder(lines[0]).append('\n');
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].trim().split("\\s+");
            if (f.length > col && wanted.contains(f[col])) b.append(lines[i]).append('\n');
        }
        return b.toString();
    }
}
