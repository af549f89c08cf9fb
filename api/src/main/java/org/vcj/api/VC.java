package org.vcj.api;

import java.util.List;

/**
 * The virtcontainers 1.0 API: ID-based functions (Kata {@code CreateSandbox}, {@code RunSandbox} ...).
 * Registered as an OSGi service by the core bundle. Every state change is saved through the
 * configured {@code MetadataStorage} before the call returns. Thread-safe; calls on one sandbox
 * are serialised by a lock that also holds across processes.
 *
 * <p>Errors as listed on {@link VCSandbox}; in addition {@link AlreadyExistsException} for a
 * duplicate sandbox or container id and {@link PluginNotFoundException} for a hypervisor, storage or
 * VM factory type that is not installed.
 */
public interface VC {
    /** Creates a sandbox and its containers without starting the containers. The VM is started. */
    VCSandbox createSandbox(SandboxConfig config);

    /**
     * Creates a sandbox whose VM comes from the named VM factory ({@code vcj.vmfactory} service property);
     * {@code null} or empty means the configured default (a new VM when there is none).
     */
    VCSandbox createSandbox(SandboxConfig config, String vmFactory);

    /** Creates a sandbox and its containers, then starts them. */
    VCSandbox runSandbox(SandboxConfig config);

    /** Shuts the VM down (stopping the sandbox first, as {@code stop(true)}, when it is not stopped) and destroys the sandbox: {@link VCSandbox#delete()}. */
    VCSandbox deleteSandbox(String sandboxId);

    /** {@link VCSandbox#start()}. */
    VCSandbox startSandbox(String sandboxId);

    /** Stops every container of the sandbox and its VM: {@link VCSandbox#stop(boolean)}. */
    VCSandbox stopSandbox(String sandboxId, boolean force);

    List<SandboxStatus> listSandbox();

    SandboxStatus statusSandbox(String sandboxId);

    /** Freezes the containers, then pauses the VM where the hypervisor can: {@link VCSandbox#pause()}. */
    VCSandbox pauseSandbox(String sandboxId);

    /** Resumes the VM, then the containers: {@link VCSandbox#resume()}. */
    VCSandbox resumeSandbox(String sandboxId);

    /** A handle on an existing sandbox, reconnecting to its VM and agent (Kata's connection workflow). */
    VCSandbox fetchSandbox(String sandboxId);

    VCContainer createContainer(String sandboxId, ContainerConfig config);

    VCContainer deleteContainer(String sandboxId, String containerId);

    VCContainer startContainer(String sandboxId, String containerId);

    VCContainer stopContainer(String sandboxId, String containerId);

    EnteredProcess enterContainer(String sandboxId, String containerId, Cmd cmd);

    ContainerStatus statusContainer(String sandboxId, String containerId);

    void killContainer(String sandboxId, String containerId, int signal, boolean all);

    ProcessList processListContainer(String sandboxId, String containerId, ProcessListOptions options);

    /**
     * Finds sandboxes whose operation was interrupted (a runtime killed mid-way) or whose VM is gone,
     * and removes their processes, mounts, files and records; then what killed VM factory servers left (their VMs
     * nobody took, see {@code VMFactory.cleanup}) and the scratch directories of killed factory operations. Returns
     * the ids it cleaned up.
     */
    List<String> cleanup();

    /**
     * Prepares the VM factory {@code vmFactory} for sandboxes like {@code config} (its hypervisor type, hypervisor
     * configuration and VM resources; its containers are ignored), e.g. makes the template (kata-runtime
     * {@code factory init}). Idempotent; returns the factory's status afterwards.
     */
    List<org.vcj.api.factory.FactoryStatus> initFactory(String vmFactory, SandboxConfig config);

    /** What the VM factory keeps (templates, cache servers ...) in this root (kata-runtime {@code factory status}). */
    List<org.vcj.api.factory.FactoryStatus> factoryStatus(String vmFactory);

    /**
     * Removes what the VM factory keeps in this root (kata-runtime {@code factory destroy}); sandboxes already made
     * from it keep running. Returns what was removed.
     */
    List<org.vcj.api.factory.FactoryStatus> destroyFactory(String vmFactory);

    /**
     * Runs the server of a caching VM factory ({@code vmFactory}, e.g. {@code cache}) in the calling thread: keeps
     * {@code size} VMs like {@code config}'s ready, made by the factory {@code sourceFactory}, and hands them to
     * runtimes that use {@code vmFactory}. Returns when a client asks it to quit or the thread is interrupted.
     */
    void serveFactory(String vmFactory, String sourceFactory, int size, SandboxConfig config);
}
