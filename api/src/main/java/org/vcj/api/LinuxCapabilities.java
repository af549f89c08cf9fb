package org.vcj.api;

import java.util.List;

/**
 * The Linux capability sets of a container process, names as in OCI ({@code CAP_CHOWN} ...).
 * {@link #DEFAULT} is the OCI runtime default set.
 */
public record LinuxCapabilities(List<String> bounding, List<String> effective, List<String> inheritable,
                                List<String> permitted, List<String> ambient) {
    private static final List<String> DEFAULT_SET = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER",
            "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
            "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");
    /** The default set of OCI runtimes (the same list in bounding, effective and permitted). */
    public static final LinuxCapabilities DEFAULT = new LinuxCapabilities(DEFAULT_SET, DEFAULT_SET, List.of(), DEFAULT_SET, List.of());

    public LinuxCapabilities {
        bounding = check("Bounding", bounding);
        effective = check("Effective", effective);
        inheritable = check("Inheritable", inheritable);
        permitted = check("Permitted", permitted);
        ambient = check("Ambient", ambient);
    }

    private static List<String> check(String set, List<String> caps) {
        if (caps == null) return List.of();
        for (String c : caps) {
            if (c == null || !c.matches("CAP_[A-Z_]{2,40}")) {
                throw new InvalidConfigException("Cmd.Capabilities." + set, c, "capability names look like CAP_NET_ADMIN");
            }
        }
        return List.copyOf(caps);
    }
}
