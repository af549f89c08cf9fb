package org.vcj.api;

import java.util.List;

/**
 * A network interface of the guest (Kata {@code pbTypes.Interface}).
 *
 * @param device      device name in the guest, e.g. {@code eth0}
 * @param name        interface name
 * @param ipAddresses its addresses
 * @param mtu         MTU (0: unchanged)
 * @param hwAddr      MAC address
 * @param pciPath     PCI path of the hotplugged device, if any
 * @param type        link type, e.g. {@code veth}, {@code tap}
 * @param rawFlags    raw link flags
 */
public record Interface(String device, String name, List<IPAddress> ipAddresses, long mtu, String hwAddr,
                        String pciPath, String type, int rawFlags) {
    public Interface {
        if (name == null || !name.matches("[A-Za-z0-9_.:-]{1,15}")) {
            throw new InvalidConfigException("Interface.Name", name, "an interface name is 1-15 characters of [A-Za-z0-9_.:-]");
        }
        device = device == null || device.isEmpty() ? name : device;
        ipAddresses = ipAddresses == null ? List.of() : List.copyOf(ipAddresses);
        hwAddr = hwAddr == null ? "" : hwAddr;
        pciPath = pciPath == null ? "" : pciPath;
        type = type == null ? "" : type;
    }
}
