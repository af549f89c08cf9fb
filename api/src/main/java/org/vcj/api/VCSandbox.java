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

    /**
     * The value of one annotation.
     *
     * @throws NotFoundException (kind {@code annotation}, id the key) when the key is not set
     * @throws InvalidConfigException when {@code key} is {@code null}
     */
    String annotations(String key);

    /** All annotations of the sandbox, as saved. */
    Map<String, String> getAnnotations();

    /**
     * Merges the given annotations into the sandbox's and saves them: a given key gets the given value, every
     * other key keeps its value. Allowed in every state.
     *
     * @throws InvalidConfigException when the map, a key or a value is {@code null} or a key is empty; nothing is saved
     */
    void setAnnotations(Map<String, String> annotations);

    List<VCContainer> getAllContainers();

    Optional<VCContainer> getContainer(String containerId);

    // --- sandbox operations ---
    /**
     * Makes the sandbox run: from {@code READY} it starts every ready container; a {@code STOPPED} sandbox first
     * gets a new VM with its containers created again ({@code READY}), then they are started; a {@code PAUSED}
     * sandbox is resumed as by {@link #resume()}. Ends {@code RUNNING}.
     *
     * @throws InvalidStateException in any other state (from, to {@code running})
     */
    void start();

    /**
     * Stops every container (SIGTERM, SIGKILL after a grace period) and shuts the VM down; ends {@code STOPPED}.
     * With {@code force}, containers get SIGKILL at once and guest failures are ignored. A stopped sandbox is
     * left as it is.
     *
     * @throws InvalidStateException for a sandbox being deleted
     */
    void stop(boolean force);

    /**
     * Pauses a running sandbox: freezes every running container (cgroup freezer, through the agent), then, when the
     * hypervisor can ({@code HypervisorCapabilities.pause()}, e.g. qemu: QMP {@code stop}), pauses the VM itself.
     * {@link SandboxStatus#vmPaused()} says whether the VM was paused; on a hypervisor without that capability
     * (mock) only the containers are frozen. While the VM is paused the agent cannot answer: calls that need it
     * (exec, kill, ps, stats ...) are refused with {@link InvalidStateException} until {@link #resume()}.
     *
     * @throws InvalidStateException unless the sandbox is running (from, to {@code paused})
     */
    void pause();

    /**
     * Resumes a paused sandbox in the reverse order of {@link #pause()}: the VM first (when it was paused), then
     * the frozen containers. On a {@code READY} sandbox it starts the containers as {@link #start()} does: both
     * move the sandbox to {@code RUNNING}.
     *
     * @throws InvalidStateException unless the sandbox is ready or paused (from, to {@code running})
     */
    void resume();

    /**
     * Shuts the VM down and destroys the sandbox: a ready, running or paused sandbox is first stopped as by
     * {@code stop(true)} (containers killed, guest failures ignored), then its VM processes, mounts, files and
     * metadata are removed. A record left in {@code CREATING} or {@code DELETING} by a crashed runtime is removed
     * from what it saved.
     */
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

    /**
     * Starts a ready container (a paused one is resumed: both move it to {@code RUNNING}).
     *
     * @throws InvalidStateException when the container cannot move to {@code RUNNING} (from, to)
     */
    VCContainer startContainer(String containerId);

    /** Stops a container: SIGTERM, then SIGKILL after a grace period; with {@code force}, SIGKILL at once. */
    VCContainer stopContainer(String containerId, boolean force);

    /** Runs a new process in a running container. */
    Process enterContainer(String containerId, Cmd cmd);

    void killContainer(String containerId, int signal, boolean all);

    /** Freezes a running container. @throws InvalidStateException unless it is running (from, to {@code paused}) */
    void pauseContainer(String containerId);

    /** Thaws a paused container (a ready one is started). @throws InvalidStateException when it cannot move to {@code RUNNING} */
    void resumeContainer(String containerId);

    ProcessList processListContainer(String containerId, ProcessListOptions options);

    ContainerStats statsContainer(String containerId);

    ContainerStatus statusContainer(String containerId);

    /**
     * Changes a running or paused container's cgroup limits. A CPU quota (quota / period, rounded up) or a memory limit
     * beyond what the VM has grows the VM first, as Kata does (vCPU / memory hotplug, onlined by the agent); a
     * hypervisor without that capability refuses with a NotSupportedException naming it, and nothing changes.
     */
    void updateContainer(String containerId, LinuxResources resources);

    /** Waits for a process to exit and returns its exit code (128+N when killed by signal N). */
    int waitProcess(String containerId, String processId);

    // --- hotplug ---
    /**
     * Hot-plugs a block device (a host file or block device) into the sandbox's VM, where it stays while the VM runs;
     * returns it with its id. A device a container needs is given in its {@code ContainerConfig.DeviceInfos}
     * instead: it is plugged when the container is created (and appears at its container path with the guest's
     * major:minor) and unplugged when it is deleted. NotSupportedException on a hypervisor without block hotplug.
     */
    Device addDevice(DeviceInfo info);

    /**
     * Hot-plugs a NIC for {@code inf} into the sandbox's VM (see {@code Hypervisor.addInterface}: {@link Interface#name()}
     * names a host interface in the sandbox's network namespace to join, else a tap of that name is made) and has the agent
     * give the guest interface that name, {@code inf}'s addresses (else the host interface's), MTU and MAC. The NIC is
     * saved in the sandbox record before the guest is configured. Returns the guest interface. Throws
     * {@code NotSupportedException} on a hypervisor without network hotplug, {@code InvalidStateException} unless the
     * sandbox is ready or running, {@code InvalidConfigException} for a name already plugged or no free slot.
     */
    Interface addInterface(Interface inf);

    /**
     * Unplugs the NIC {@link #addInterface} plugged for {@code inf}'s name (or MAC); returns once the guest released it
     * and the host side is gone; the record no longer names it. Returns {@code inf}. {@code NotFoundException} when no such
     * NIC was hot-plugged.
     */
    Interface removeInterface(Interface inf);

    /** The guest's interfaces, as the agent sees them. */
    List<Interface> listInterfaces();

    /** Adds or replaces each route in the guest's table; returns the guest's routes afterwards. */
    List<Route> updateRoutes(List<Route> routes);

    /** The guest's routes. */
    List<Route> listRoutes();

    // --- relay ---
    void winsizeProcess(String containerId, String processId, int height, int width);

    void signalProcess(String containerId, String processId, int signal, boolean all);

    /**
     * The stdio of a process; one reader per stream at a time. The agent keeps at most 8 MiB of a stream's output
     * that nobody has read yet; when a process writes more, the oldest unread bytes are dropped and the reader gets,
     * where they were, one line {@code [vcj: N bytes of output dropped: more than 8 MiB was not read in time]}.
     * Read the streams while the process runs to get all of its output.
     */
    IOStream ioStream(String containerId, String processId);

    // --- monitor ---
    /** Waits up to {@code timeout} for an out-of-memory kill; returns the id of the container it happened in. */
    Optional<String> getOOMEvent(Duration timeout);

    /** Refreshes the runtime and hypervisor metrics of the sandbox (see {@link #getAgentMetrics()}). */
    void updateRuntimeMetrics();

    /** Metrics of the agent and the guest, in Prometheus text format. */
    String getAgentMetrics();
}
