package org.vcj.api.hypervisor;

import java.util.List;
import org.vcj.api.Interface;
import org.vcj.api.Route;

/**
 * What the guest must be told about the network a VM was connected to at start: the interfaces (each found by its
 * {@link Interface#hwAddr()}, given the interface's name, addresses and MTU) and the routes that use them.
 *
 * @param interfaces the guest interfaces, as the host side of each looks in the VM's network namespace
 * @param routes     routes through them (gateway routes; link routes follow from the addresses)
 */
public record GuestNetwork(List<Interface> interfaces, List<Route> routes) {
    /** No network: the guest has only its loopback interface. */
    public static final GuestNetwork NONE = new GuestNetwork(List.of(), List.of());

    public GuestNetwork {
        interfaces = interfaces == null ? List.of() : List.copyOf(interfaces);
        routes = routes == null ? List.of() : List.copyOf(routes);
    }
}
