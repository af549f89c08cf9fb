package org.vcj.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A handle on a sandbox: the object-style API of Kata ({@code sandbox.Start()} ...). Every call
 * loads the sandbox's saved state under its lock, acts, and saves the new state before it
 * returns, so handles from different threads or processes see one truth. Thread-safe.
 *
 * <p>Errors: {@link NotFoundException} (no such sandbox/container/process), {@link InvalidStateException}
 * (operation not allowed in the current state; nothing changed), {@link InvalidConfigException} (bad argument;
 * nothing changed), {@link AgentException}, {@link HypervisorException}, {@link StorageException},
 * {@link NotSupportedException} (the hypervisor plugin cannot do it).
 */
public interface VCSandbox {
    // --- identity and annotations (1.0 VCSandbox) ---
    String id();

    /** The value of one annotation. @throws NotFoundException when the key is not set */
    String annotations(String key);

    Map<String, String> getAnnotations();

    /** Merges the given annotations into the sandbox's and saves them. */
    void setAnnotations(Map<String, String> annotations);

    List<VCContainer> getAllContainers();

    Optional<VCContainer> getContainer(String containerId);

    // --- sandbox operations ---
    /** Starts the sandbox's VM if needed and every container in it. */
    void start();

    /** Stops every container and shuts the VM down; with {@code force}, guest failures are ignored. */
    void stop(boolean force);

    /** Pauses the VM (every container in it). */
    void pause();

    /** Resumes a paused VM. */
    void resume();

    /** Stops the VM if it runs, destroys the sandbox and removes all its metadata and files. */
    void delete();

    /** Current status of the sandbox and its containers. */
    SandboxStatus status();

    /** Statistics of the running sandbox. */
    SandboxStats stats();

    /**
     * Completes when the sandbox terminates abnormally (its VM or agent died), with the error
     * that says why. It never completes for a sandbox that is stopped or deleted on purpose.
     */
    CompletionStage<VcException> monitor();

    /** Closes the connections to the agent and the VM, and leaves the VM running (runtime restart). */
    void release();

    // --- containers ---
    VCContainer createContainer(ContainerConfig config);

    /** Deletes a stopped (or never started) container. */
    VCContainer deleteContainer(String containerId);

    VCContainer startContainer(String containerId);

    /** Stops a container: SIGTERM, then SIGKILL after a grace period; with {@code force}, SIGKILL at once. */
    VCContainer stopContainer(String containerId, boolean force);

    /** Runs a new process in a running container. */
    Process enterContainer(String containerId, Cmd cmd);

    void killContainer(String containerId, int signal, boolean all);

    void pauseContainer(String containerId);

    void resumeContainer(String containerId);

    ProcessList processListContainer(String containerId, ProcessListOptions options);

    ContainerStats statsContainer(String containerId);

    ContainerStatus statusContainer(String containerId);

    void updateContainer(String containerId, LinuxResources resources);

    /** Waits for a process to exit and returns its exit code (128+N when killed by signal N). */
    int waitProcess(String containerId, String processId);

    // --- hotplug ---
    Device addDevice(DeviceInfo info);

    Interface addInterface(Interface inf);

    Interface removeInterface(Interface inf);

    List<Interface> listInterfaces();

    List<Route> updateRoutes(List<Route> routes);

    List<Route> listRoutes();

    // --- relay ---
    void winsizeProcess(String containerId, String processId, int height, int width);

    void signalProcess(String containerId, String processId, int signal, boolean all);

    /** The stdio of a process; one reader per stream at a time. */
    IOStream ioStream(String containerId, String processId);

    // --- monitor ---
    /** Waits up to {@code timeout} for an out-of-memory kill; returns the id of the container it happened in. */
    Optional<String> getOOMEvent(Duration timeout);

    /** Refreshes the runtime and hypervisor metrics of the sandbox (see {@link #getAgentMetrics()}). */
    void updateRuntimeMetrics();

    /** Metrics of the agent and the guest, in Prometheus text format. */
    String getAgentMetrics();
}
