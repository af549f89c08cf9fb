package org.vcj.api;

/** A route of the guest (Kata {@code pbTypes.Route}); {@code dest} empty or {@code default} means the default route. */
public record Route(String dest, String gateway, String device, String source, int scope) {
    public Route {
        dest = dest == null ? "" : dest;
        gateway = gateway == null ? "" : gateway;
        if (device == null || device.isEmpty()) throw new InvalidConfigException("Route.Device", device, "a route needs a device");
        source = source == null ? "" : source;
    }
}
