package org.vcj.api;

/**
 * The hypervisor a sandbox runs on. Open-ended: any type registered by a plugin bundle
 * (service property {@code vcj.hypervisor}) is valid, so this is a value, not an enum.
 */
public record HypervisorType(String name) {
    /** The QEMU hypervisor. */
    public static final HypervisorType QEMU = new HypervisorType("qemu");
    /** No VM: the agent runs as a host process. No isolation; for tests and hosts without QEMU. */
    public static final HypervisorType MOCK = new HypervisorType("mock");

    public HypervisorType {
        if (name == null || !name.matches("[a-z0-9][a-z0-9_.-]{0,63}")) {
            throw new InvalidConfigException("HypervisorType", name, "a plugin type is 1-64 characters of [a-z0-9_.-]");
        }
    }

    @Override
    public String toString() { return name; }
}
