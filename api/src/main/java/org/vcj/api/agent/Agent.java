package org.vcj.api.agent;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.vcj.api.Cmd;
import org.vcj.api.ContainerConfig;
import org.vcj.api.ContainerStats;
import org.vcj.api.Interface;
import org.vcj.api.LinuxResources;
import org.vcj.api.Process;
import org.vcj.api.Route;

/**
 * A connection to one sandbox's guest agent: the Kata agent RPCs as typed Java calls. Paths in
 * container configs are guest paths. The main process of a container has the container id as its
 * exec id. Thread-safe; blocking calls (wait, read) may run concurrently with others.
 * Every method throws {@code AgentException} when the agent is unreachable or refuses the request;
 * its {@code remoteCode()} is the agent's status ({@code NOT_FOUND}, {@code FAILED_PRECONDITION} ...).
 * {@code startContainer} and {@code execProcess} throw {@code CommandNotRunnableException} instead when the
 * process's executable is missing or not executable in the container.
 */
public interface Agent extends AutoCloseable {
    /** Health check; returns the agent's version. */
    String check(Duration timeout);

    void createSandbox(String sandboxId, String hostname, String guestSharedDir);

    void destroySandbox();

    /** Writes the container's OCI bundle; the process starts with {@link #startContainer}. */
    void createContainer(ContainerConfig guestConfig);

    Process startContainer(String containerId);

    /** Kills (after {@code timeout}) and removes the container and its bundle. */
    void removeContainer(String containerId, Duration timeout);

    Process execProcess(String containerId, String execId, Cmd cmd);

    /** Signals one process, or every process of the container when {@code all}. */
    void signalProcess(String containerId, String execId, int signal, boolean all);

    /** Waits up to {@code timeout} (zero: just look) for the process to exit; its exit code, or empty if it still runs. */
    OptionalInt waitProcess(String containerId, String execId, Duration timeout);

    void writeStdin(String containerId, String execId, byte[] data);

    void closeStdin(String containerId, String execId);

    /** Blocks until output is available; up to {@code maxLength} bytes, or an empty array at end of stream. */
    byte[] readStdout(String containerId, String execId, int maxLength);

    byte[] readStderr(String containerId, String execId, int maxLength);

    void ttyWinResize(String containerId, String execId, int rows, int columns);

    byte[] listProcesses(String containerId, String format, List<String> args);

    void updateContainer(String containerId, LinuxResources resources);

    ContainerStats statsContainer(String containerId);

    void pauseContainer(String containerId);

    void resumeContainer(String containerId);

    Interface updateInterface(Interface inf);

    List<Route> updateRoutes(List<Route> routes);

    List<Interface> listInterfaces();

    List<Route> listRoutes();

    /** Brings hot-added CPUs (and memory unless {@code cpuOnly}) online in the guest. */
    void onlineCpuMem(int nbCpus, boolean cpuOnly);

    /** Waits up to {@code timeout} for an OOM kill; the container id it happened in. */
    Optional<String> getOOMEvent(Duration timeout);

    /** Mixes {@code data} into the guest's random pool (Kata ReseedRandomDev). Guest agents only. */
    void reseedRandomDev(byte[] data);

    /** Sets the guest's wall clock (Kata SetGuestDateTime). Guest agents only. */
    void setGuestDateTime(java.time.Instant time);

    /** Agent and guest metrics in Prometheus text format. */
    String getMetrics();

    /** Closes the connection; the agent and its containers keep running. */
    @Override
    void close();
}
