package org.vcj.hypervisor.mock.internal;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.vcj.support.process.HostProcess;

/**
 * Everything a mock sandbox's agent may have left on the host once the agent is gone, whatever died first (the CLI,
 * the agent, runc): first the helpers that still run — any process whose command line names the agent's state
 * directory {@code <runDir>/agent} (a {@code runc run}, {@code runc events} or {@code runc exec} of the agent, or an
 * agent that was started but never recorded) — are SIGKILLed, so that nothing starts new containers; then the OCI
 * containers are deleted through the runtime's state ({@link OciLeftovers}); last the sandbox's cgroups are emptied
 * and removed ({@link CgroupLeftovers}), which also catches a container process the runtime never recorded.
 * The agent's own files (bundles, logs) stay: the sandbox directory is core's to delete.
 */
final class AgentLeftovers {

    private static final System.Logger LOG = System.getLogger(AgentLeftovers.class.getName());
    private static final long EXIT_WAIT_MILLIS = 5_000;

    private final CgroupLeftovers cgroups;

    AgentLeftovers(CgroupLeftovers cgroups) {
        this.cgroups = cgroups;
    }

    /**
     * Removes what the agent of {@code runDir} left; returns what could not be removed (empty when all went).
     *
     * @param sandboxId the sandbox the agent served, when known (its cgroup {@code /vcj/<id>} is removed even when the
     *                  agent deleted the bundles that name it before it died); null when unknown
     */
    List<String> remove(Path runDir, String sandboxId) {
        Path agentDir = runDir.resolve("agent").toAbsolutePath().normalize();
        List<String> left = new ArrayList<>();
        List<HostProcess> helpers = HostProcess.mentioning(agentDir + "/");
        helpers.addAll(HostProcess.mentioning("--state-dir=" + agentDir));
        for (HostProcess p : helpers) p.kill();
        for (HostProcess p : helpers) {
            if (!p.awaitExit(EXIT_WAIT_MILLIS)) left.add("process " + p.pid());
        }
        int containers = OciLeftovers.delete(agentDir.resolve("runtime"));
        java.util.Set<String> sandboxCgroups = CgroupLeftovers.sandboxCgroups(agentDir.resolve("bundles"));
        if (sandboxId != null && sandboxId.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) sandboxCgroups.add("/vcj/" + sandboxId);
        for (String cgroup : sandboxCgroups) {
            cgroups.remove(cgroup).forEach(d -> left.add("cgroup " + d));
        }
        if (!helpers.isEmpty() || containers > 0) {
            LOG.log(Level.DEBUG, "removed what the agent in " + runDir + " left: " + helpers.size() + " processes, "
                    + containers + " containers" + (left.isEmpty() ? "" : "; still there: " + left));
        }
        return left;
    }
}
