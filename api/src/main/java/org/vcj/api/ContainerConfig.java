package org.vcj.api;

import java.util.List;
import java.util.Map;

/**
 * One container's configuration (Kata {@code ContainerConfig}). Build with {@link #builder(String)}.
 *
 * @param id             unique within its sandbox (see {@link Identifiers})
 * @param rootFs         the container workload image on the host: an absolute directory
 * @param readonlyRootfs mount the rootfs read-only
 * @param cmd            the command to run
 * @param annotations    arbitrary caller values; {@link #CONFIG_JSON_KEY} carries the whole OCI spec
 * @param mounts         extra mounts
 * @param deviceInfos    devices that must be available within the container
 * @param resources      cgroup limits of the container ({@link LinuxResources#NONE} for none)
 */
public record ContainerConfig(String id, String rootFs, boolean readonlyRootfs, Cmd cmd, Map<String, String> annotations,
                              List<Mount> mounts, List<DeviceInfo> deviceInfos, LinuxResources resources) {
    /**
     * Annotation carrying the container's whole OCI runtime spec ({@code config.json}, as JSON) to the guest (Kata 1.x
     * {@code vcAnnotations.ConfigJSONKey}). When present, the agent builds the OCI runtime's spec from it, adapted to
     * the guest, instead of from this record alone: what it keeps and what it rewrites is in the README.
     */
    public static final String CONFIG_JSON_KEY = "com.github.containers.virtcontainers.pkg.oci.config";

    public ContainerConfig {
        Identifiers.requireValid("ContainerConfig.ID", id);
        Paths.requireAbsolute("ContainerConfig.RootFs", rootFs);
        if (cmd == null) throw new InvalidConfigException("ContainerConfig.Cmd", null, "a container needs a command");
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
        deviceInfos = deviceInfos == null ? List.of() : List.copyOf(deviceInfos);
        resources = resources == null ? LinuxResources.NONE : resources;
    }

    public static Builder builder(String id) { return new Builder().id(id); }

    public Builder toBuilder() {
        return new Builder().id(id).rootFs(rootFs).readonlyRootfs(readonlyRootfs).cmd(cmd).annotations(annotations)
                .mounts(mounts).deviceInfos(deviceInfos).resources(resources);
    }

    /** Builder for {@link ContainerConfig}; not thread-safe. */
    public static final class Builder {
        private String id, rootFs;
        private boolean readonlyRootfs;
        private Cmd cmd;
        private Map<String, String> annotations = Map.of();
        private List<Mount> mounts = List.of();
        private List<DeviceInfo> deviceInfos = List.of();
        private LinuxResources resources = LinuxResources.NONE;

        private Builder() { }

        public Builder id(String v) { id = v; return this; }
        public Builder rootFs(String v) { rootFs = v; return this; }
        public Builder readonlyRootfs(boolean v) { readonlyRootfs = v; return this; }
        public Builder cmd(Cmd v) { cmd = v; return this; }
        public Builder annotations(Map<String, String> v) { annotations = v; return this; }
        public Builder mounts(List<Mount> v) { mounts = v; return this; }
        public Builder deviceInfos(List<DeviceInfo> v) { deviceInfos = v; return this; }
        public Builder resources(LinuxResources v) { resources = v; return this; }

        public ContainerConfig build() {
            return new ContainerConfig(id, rootFs, readonlyRootfs, cmd, annotations, mounts, deviceInfos, resources);
        }
    }
}
