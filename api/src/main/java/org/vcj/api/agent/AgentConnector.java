package org.vcj.api.agent;

import java.time.Duration;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Dials a guest agent. Registered as an OSGi service by the agent-client bundle (gRPC). Thread-safe.
 */
@ConsumerType
public interface AgentConnector {
    /**
     * Connects to the agent of {@code sandboxId} at {@code address} ({@code unix:///path} or
     * {@code vsock://CID:PORT}) and waits up to {@code timeout} for it to answer a health check.
     *
     * @throws org.vcj.api.AgentException when it does not answer in time
     */
    Agent connect(String sandboxId, String address, Duration timeout);
}
