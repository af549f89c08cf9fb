package org.vcj.api.factory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.vcj.api.hypervisor.Hypervisor;
import org.vcj.api.hypervisor.VMConfig;

/**
 * What a {@link VMFactory} is asked for: a VM like {@code config}, run by {@code hypervisor}.
 *
 * @param hypervisor     the hypervisor service of {@code hypervisorType}, resolved by the core
 * @param hypervisorType its {@code vcj.hypervisor} type
 * @param config         the VM wanted: its {@code runDir} is the sandbox's existing, empty, private VM directory
 * @param root           the vcj state root; a factory keeps its files in {@link VMFactory#dir}
 * @param timeout        how long making the VM may take
 */
public record VMRequest(Hypervisor hypervisor, String hypervisorType, VMConfig config, Path root, Duration timeout) {
    public VMRequest {
        Objects.requireNonNull(hypervisor, "hypervisor");
        Objects.requireNonNull(hypervisorType, "hypervisorType");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(timeout, "timeout");
    }

    /** The same request for another VM id and run directory. */
    public VMRequest withVm(String id, Path runDir) {
        return new VMRequest(hypervisor, hypervisorType,
                new VMConfig(id, config.hypervisorConfig(), runDir.toString(), config.volumes(), config.template(), config.network()),
                root, timeout);
    }
}
