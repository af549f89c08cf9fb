package org.vcj.api;

/** A volume shared between the host and the VM: its mount tag (a hint to the guest) and its host path. */
public record Volume(String mountTag, String hostPath) {
    public Volume {
        if (mountTag == null || !mountTag.matches("[A-Za-z0-9_.-]{1,31}")) {
            throw new InvalidConfigException("Volume.MountTag", mountTag, "a mount tag is 1-31 characters of [A-Za-z0-9_.-]");
        }
        Paths.requireAbsolute("Volume.HostPath", hostPath);
    }
}
