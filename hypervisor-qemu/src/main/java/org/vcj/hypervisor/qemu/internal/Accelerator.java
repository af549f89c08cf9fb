package org.vcj.hypervisor.qemu.internal;

import java.util.function.Supplier;

import org.vcj.api.InvalidConfigException;

/**
 * The accelerator setting (HypervisorConfig.MachineAccelerators): {@code kvm} or {@code tcg} force one; empty or
 * {@code auto} take what {@link KvmProbe} found on this host (/dev/kvm opening proves nothing: on the machines vcj was
 * measured on it opens and QEMU's KVM initialises, yet a guest hangs after the firmware).
 */
final class Accelerator {

    private Accelerator() { }

    /** @param probed the probe's answer, asked only for {@code auto} */
    static String choose(String setting, Supplier<String> probed) {
        String s = setting == null ? "" : setting.trim();
        return switch (s) {
            case "", "auto" -> probed.get();
            case "tcg" -> "tcg";
            case "kvm" -> "kvm";
            default -> throw new InvalidConfigException("HypervisorConfig.MachineAccelerators", s, "use auto, kvm or tcg");
        };
    }
}
