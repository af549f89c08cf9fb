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

    /**
     * Like {@link #connect(String, String, Duration)}, for an agent whose VM may die meanwhile: {@code stillThere}
     * is run before every attempt and ends the wait by throwing (e.g. a {@link org.vcj.api.HypervisorException} when
     * the VM is gone). How long each attempt lasts and how long it waits between attempts is the connector's alone
     * to decide, within {@code timeout}. This default runs {@code stillThere} once, then connects.
     *
     * @throws org.vcj.api.AgentException when it does not answer in time
     * @throws RuntimeException           whatever {@code stillThere} throws
     */
    default Agent connect(String sandboxId, String address, Duration timeout, Runnable stillThere) {
        stillThere.run();
        return connect(sandboxId, address, timeout);
    }
}
