package org.vcj.agent.internal;

import java.io.IOException;
import java.util.List;

/** Signals a container's processes: the main one through the OCI runtime, an exec one by its pid. Thread-safe. */
final class OciSignaller {
    private final OciRuntime runtime;

    OciSignaller(OciRuntime runtime) {
        this.runtime = runtime;
    }

    /** Sends {@code sig} to the process {@code execId} of {@code c} (to every process of the container when all). */
    void signal(Container c, String execId, int sig, boolean all) throws IOException {
        String cid = c.id();
        ManagedProcess p = c.process(execId);
        if (!p.alive()) {
            throw AgentErrors.state("process " + p.execId() + " of container " + cid + " has already exited");
        }
        if (p == c.main()) {
            if (all) {
                runtime.check("kill", "--all", cid, Integer.toString(sig));
            } else {
                runtime.check("kill", cid, Integer.toString(sig));
            }
        } else if ((sig == 9 || sig == 15) && ProcessHandle.of(p.pid()).isPresent()) {
            ProcessHandle h = ProcessHandle.of(p.pid()).get();
            boolean sent = sig == 9 ? h.destroyForcibly() : h.destroy();
            if (!sent) {
                throw AgentErrors.internal("signal " + sig + " to pid " + p.pid() + " (exec " + execId + ") failed", null);
            }
        } else {
            OciRuntime.Result r = OciRuntime.exec(List.of("kill", "-" + sig, Integer.toString(p.pid())), 10_000);
            if (r.code() != 0) {
                throw AgentErrors.internal("kill -" + sig + " " + p.pid() + " (exec " + execId + ") failed: " + r.stderr().trim(), null);
            }
        }
    }
}
