package org.vcj.agent.testing;

import java.nio.file.Path;
import org.vcj.agent.AgentMain;
import org.vcj.agent.internal.AgentOptions;
import org.vcj.agent.internal.AgentServer;
import org.vcj.agent.protocol.CreateSandboxRequest;
import org.vcj.agent.protocol.DestroySandboxRequest;

/**
 * An agent in this JVM on a Unix socket under a test's directory, driving real runc on the host (as on the mock
 * hypervisor), with its sandbox created; {@link #close} destroys the sandbox and stops the agent. Needs root.
 */
public final class RuncAgentSandbox implements AutoCloseable {
    private final AgentServer server;
    private final AgentTestClient client;
    private final Path stateDir;

    private RuncAgentSandbox(AgentServer server, AgentTestClient client, Path stateDir) {
        this.server = server;
        this.client = client;
        this.stateDir = stateDir;
    }

    /** Starts the agent (socket {@code dir/agent.sock}, state {@code dir/state}) and creates sandbox {@code id}. */
    public static RuncAgentSandbox start(Path dir, String id, String hostname) throws Exception {
        Path sock = dir.resolve("agent.sock");
        Path state = dir.resolve("state");
        AgentServer server = AgentMain.start(AgentOptions.parse("--listen=unix://" + sock, "--oci-runtime=runc",
                "--state-dir=" + state), System.nanoTime());
        AgentTestClient client = new AgentTestClient(sock);
        try {
            client.agent().createSandbox(CreateSandboxRequest.newBuilder().setSandboxId(id).setHostname(hostname)
                    .setGuestSharedDir(dir.toString()).build());
        } catch (RuntimeException e) {
            client.close();
            server.close();
            throw e;
        }
        return new RuncAgentSandbox(server, client, state);
    }

    public AgentTestClient client() {
        return client;
    }

    /** The agent's {@code --state-dir}. */
    public Path stateDir() {
        return stateDir;
    }

    @Override
    public void close() throws InterruptedException {
        try {
            client.agent().destroySandbox(DestroySandboxRequest.getDefaultInstance());
        } finally {
            client.close();
            server.close();
        }
    }
}
