package org.vcj.hypervisor.qemu.internal;

import java.util.List;

/**
 * The host side of one VM NIC in Kata's {@code tcfilter} model, as command lines to run inside the sandbox's network
 * namespace: a tap for QEMU, an ingress qdisc on the tap and on the host interface, and a u32 filter on each that
 * redirects every frame to the other one (so the host interface's traffic is the VM's and back). With no host
 * interface, only the tap is made.
 *
 * @param tap    the tap's name
 * @param hostIf the host interface to join, or {@code null} for a tap only
 * @param owner  the user the tap belongs to (QEMU's {@code qemu.user}, who opens it at hotplug), or {@code null}
 */
record TcRedirect(String tap, String hostIf, String owner) {

    TcRedirect(String tap, String hostIf) {
        this(tap, hostIf, null);
    }

    TcRedirect ownedBy(String user) {
        return new TcRedirect(tap, hostIf, user == null || user.isEmpty() ? null : user);
    }

    /** Commands that build it, in order. */
    List<List<String>> setup() {
        List<List<String>> cmds = new java.util.ArrayList<>();
        List<String> add = new java.util.ArrayList<>(List.of("ip", "tuntap", "add", "dev", tap, "mode", "tap"));
        if (owner != null) add.addAll(owner.contains(":") ? List.of("user", owner.split(":")[0], "group", owner.split(":")[1])
                : List.of("user", owner));
        cmds.add(add);
        cmds.add(List.of("ip", "link", "set", "dev", tap, "up"));
        if (hostIf != null) {
            cmds.add(List.of("tc", "qdisc", "add", "dev", hostIf, "ingress"));
            cmds.add(List.of("tc", "qdisc", "add", "dev", tap, "ingress"));
            cmds.add(redirect(hostIf, tap));
            cmds.add(redirect(tap, hostIf));
            cmds.add(List.of("ip", "link", "set", "dev", hostIf, "up"));
        }
        return cmds;
    }

    /** Commands that undo it; each may fail when its object is already gone. */
    List<List<String>> teardown() {
        if (hostIf == null) return List.of(List.of("ip", "link", "del", "dev", tap));
        return List.of(List.of("tc", "qdisc", "del", "dev", hostIf, "ingress"), List.of("ip", "link", "del", "dev", tap));
    }

    private static List<String> redirect(String from, String to) {
        return List.of("tc", "filter", "add", "dev", from, "parent", "ffff:", "protocol", "all", "u32", "match", "u8", "0", "0",
                "action", "mirred", "egress", "redirect", "dev", to);
    }
}
