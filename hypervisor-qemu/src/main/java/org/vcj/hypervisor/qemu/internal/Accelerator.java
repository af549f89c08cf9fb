package org.vcj.hypervisor.qemu.internal;

import org.vcj.api.InvalidConfigException;

/**
 * The accelerator setting (HypervisorConfig.MachineAccelerators): {@code kvm}, {@code tcg}, or empty/{@code auto}.
 * On the machines vcj was measured on, /dev/kvm exists and QEMU's KVM initialises, yet a guest hangs after the
 * firmware: only a guest that reaches init proves KVM. Until such a probe is recorded, {@code auto} means TCG;
 * {@code kvm} forces KVM where it is known to work.
 */
final class Accelerator {

    private Accelerator() { }

    static String choose(String setting) {
        String s = setting == null ? "" : setting.trim();
        return switch (s) {
            case "", "auto", "tcg" -> "tcg";
            case "kvm" -> "kvm";
            default -> throw new InvalidConfigException("HypervisorConfig.MachineAccelerators", s, "use auto, kvm or tcg");
        };
    }
}
