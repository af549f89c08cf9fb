package org.vcj.api.factory;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;
import org.vcj.api.NotSupportedException;
import org.vcj.api.hypervisor.VM;

/**
 * The VM factory plugin SPI (Kata {@code VMFactory.NewVM(HypervisorConfig)}). Every sandbox VM comes from a factory:
 * {@value #DIRECT} (Kata's CreateNew: boot a new VM with the hypervisor) unless the caller names another one, such as
 * {@code template} (CreateFromTemplate: clone a saved VM) or {@code cache} (CreateFromCache: take a pre-booted VM
 * from a cache server). A bundle registers an implementation with the service property {@value #TYPE}.
 *
 * <p>The VM a factory returns becomes the sandbox's own: the core saves its {@link VM} record and drives it from then
 * on through the {@code Hypervisor} service of {@link VM#hypervisorType()}, which must be the request's type. Before
 * any container runs, the core gives it its own identity through the agent (hostname, shared directory, wall clock,
 * random pool), so a factory may hand out clones of one saved VM.
 *
 * <p>Thread-safe; several runtimes (processes) may use one factory's files at once. Errors:
 * {@code HypervisorException} when a VM cannot be made, {@code InvalidConfigException} when the request does not match
 * what the factory can serve, {@code NotSupportedException} for operations the factory lacks.
 */
@ConsumerType
public interface VMFactory {
    /** The service property naming the factory type. */
    String TYPE = "vcj.vmfactory";

    /** The type of the factory used when none is named: a new VM booted by the hypervisor. */
    String DIRECT = "direct";

    /** The directory where the factory of {@code type} keeps its files under the vcj state root {@code root}. */
    static java.nio.file.Path dir(java.nio.file.Path root, String type) {
        return root.resolve("factory").resolve(type);
    }

    /** Returns a running VM for the request; its agent channel exists when it returns (the agent may still be starting). */
    VM newVM(VMRequest request);

    /**
     * Whether {@link #newVM} starts the VM for the request, so that it honours the request's
     * {@code VMConfig.network()} (its network namespace and the NICs of that namespace), as the direct factory and
     * template clones do. A factory that hands out VMs started before the request (a cache) cannot put them into a
     * sandbox's namespace, and the core refuses a sandbox with a {@code NetworkConfig.NetNSPath} from it with an
     * {@code InvalidConfigException}. The default: false.
     */
    default boolean startsVmForRequest() {
        return false;
    }

    /**
     * Prepares the factory for requests like this one ahead of the first {@link #newVM} (e.g. makes the template),
     * and returns its status afterwards. Idempotent. The default has nothing to prepare.
     */
    default List<FactoryStatus> init(VMRequest request) {
        return status(request.root());
    }

    /** What the factory keeps under {@code root} (templates, cached VMs ...), one entry each; empty when nothing. */
    default List<FactoryStatus> status(java.nio.file.Path root) {
        return List.of();
    }

    /**
     * Removes what the factory keeps under {@code root} and stops the VMs it holds that no sandbox owns; VMs already
     * handed out keep running. Returns what it removed, as they were before.
     */
    default List<FactoryStatus> destroy(java.nio.file.Path root) {
        return List.of();
    }

    /**
     * Removes what this factory's server left under {@code root} when it was killed (kill -9, a crash): the VMs it
     * started that no sandbox took, their host network and files. Never touches what a running server holds or what a
     * sandbox owns. Called by {@code VC.cleanup}; returns what it removed, as it was before. The default has nothing to
     * remove.
     */
    default List<FactoryStatus> cleanup(java.nio.file.Path root) {
        return List.of();
    }

    /**
     * Serves VMs made like {@code prototype} by {@code source} to other runtimes until the calling thread is
     * interrupted or a client asks the server to quit (a VM cache server); keeps {@code size} VMs ready. Blocks.
     *
     * @throws NotSupportedException when this factory is not a server (the default)
     */
    default void serve(VMRequest prototype, VMFactory source, int size) {
        throw new NotSupportedException("serve", "VM factory " + getClass().getSimpleName(),
                "only a caching factory (vcj.vmfactory=cache) runs a server");
    }
}
