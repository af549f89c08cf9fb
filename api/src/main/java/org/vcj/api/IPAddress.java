package org.vcj.api;

/** An address of a guest interface: family {@code 4} or {@code 6}, address, prefix length as text. */
public record IPAddress(int family, String address, String mask) {
    public IPAddress {
        if (family != 4 && family != 6) throw new InvalidConfigException("IPAddress.Family", String.valueOf(family), "must be 4 or 6");
        if (address == null || address.isEmpty()) throw new InvalidConfigException("IPAddress.Address", address, "must not be empty");
        mask = mask == null ? "" : mask;
    }
}
