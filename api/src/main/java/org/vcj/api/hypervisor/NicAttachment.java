package org.vcj.api.hypervisor;

import org.vcj.api.Interface;

/**
 * A network interface hot-plugged into a VM: the VM record that now remembers it (the core saves it, so that any
 * later process can remove it) and the interface the guest must be given (found by its {@link Interface#hwAddr()}).
 *
 * @param vm             the VM record with the new NIC in its state
 * @param guestInterface the guest interface: name, MAC, addresses and MTU to configure through the agent
 */
public record NicAttachment(VM vm, Interface guestInterface) {
    public NicAttachment {
        java.util.Objects.requireNonNull(vm, "vm");
        java.util.Objects.requireNonNull(guestInterface, "guestInterface");
    }
}
