package org.vcj.api;

/**
 * Device data common to all types of devices (Kata {@code DeviceInfo}).
 *
 * @param hostPath      device path on the host
 * @param containerPath device path inside the container
 * @param devType       {@code c}, {@code b}, {@code u} or {@code p} (see mknod(1))
 * @param major         major number
 * @param minor         minor number
 * @param fileMode      permission bits
 * @param uid           owner id
 * @param gid           group id
 * @param hotplugged    set by the runtime when the device was hotplugged
 * @param id            the id passed to the hypervisor
 */
public record DeviceInfo(String hostPath, String containerPath, String devType, long major, long minor,
                         int fileMode, int uid, int gid, boolean hotplugged, String id) {
    public DeviceInfo {
        Paths.requireAbsolute("DeviceInfo.HostPath", hostPath);
        containerPath = containerPath == null || containerPath.isEmpty() ? hostPath : Paths.requireAbsolute("DeviceInfo.ContainerPath", containerPath);
        devType = devType == null || devType.isEmpty() ? "b" : devType;
        if (!devType.matches("[cbup]")) throw new InvalidConfigException("DeviceInfo.DevType", devType, "must be c, b, u or p");
        if (major < 0 || minor < 0) throw new InvalidConfigException("DeviceInfo.Major/Minor", major + ":" + minor, "must not be negative");
        fileMode = fileMode == 0 ? 0660 : fileMode;
        id = id == null ? "" : id;
    }

    /** A copy with the runtime-assigned hypervisor id and hotplug flag. */
    public DeviceInfo withHotplug(String newId, boolean isHotplugged) {
        return new DeviceInfo(hostPath, containerPath, devType, major, minor, fileMode, uid, gid, isHotplugged, newId);
    }
}
