package org.vcj.api.factory;

import java.time.Duration;
import org.osgi.annotation.versioning.ConsumerType;
import org.vcj.api.hypervisor.VM;
import org.vcj.api.hypervisor.VMConfig;

/**
 * The VM factory plugin SPI (Kata {@code VMFactory.NewVM(HypervisorConfig)}). A bundle registers an
 * implementation with the service property {@value #TYPE} (e.g. {@code template}, {@code cache}).
 * When a sandbox is created through a factory, the core asks it for a VM instead of starting one with
 * the hypervisor directly; the VM it returns is then driven through the {@code Hypervisor} service of
 * {@link VM#hypervisorType()} (pause, stop, check, pids ...), whatever hypervisor the sandbox's configuration
 * names: a factory should return a VM of the {@code hypervisorType} it was asked for. Thread-safe. Errors: {@code HypervisorException}, {@code InvalidConfigException}
 * when the config does not match what the factory can serve.
 */
@ConsumerType
public interface VMFactory {
    /** The service property naming the factory type. */
    String TYPE = "vcj.vmfactory";

    /**
     * Returns a running VM for {@code config}; its agent channel exists when it returns.
     *
     * @param hypervisorType the {@code vcj.hypervisor} type the sandbox asks for; the returned VM's
     *                       {@link VM#hypervisorType()} decides which hypervisor drives it from then on
     */
    VM newVM(VMConfig config, String hypervisorType, Duration timeout);
}
