package org.vcj.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import org.vcj.api.ContainerConfig;
import org.vcj.api.Mount;
import org.vcj.api.Volume;

/**
 * Container bind mounts of a sandbox volume in a VM: a mount whose source is a volume's host path (or a path below
 * it) takes its source from the volume's own export in the guest ({@value #GUEST_DIR}{@code /<tag>}, mounted by the
 * agent on CreateSandbox) instead of being shared through the sandbox's shared directory. Without a VM (the mock)
 * the host path is used as it is.
 */
final class VolumeMounts {

    /** Where the guest agent mounts each volume, by mount tag. */
    static final String GUEST_DIR = "/run/vcj/volumes";

    private VolumeMounts() {
    }

    /**
     * The container's guest configuration: {@code share} makes the rest (rootfs, other mounts) and the volume mounts
     * are put back at their places with guest sources.
     */
    static ContainerConfig toGuest(List<Volume> volumes, ContainerConfig cc, UnaryOperator<ContainerConfig> share) {
        List<Mount> others = new ArrayList<>();
        Mount[] mapped = new Mount[cc.mounts().size()];
        for (int i = 0; i < mapped.length; i++) {
            Mount m = cc.mounts().get(i);
            String source = m.isBind() ? guestSource(volumes, m.source()) : null;
            if (source == null) {
                others.add(m);
            } else {
                mapped[i] = new Mount(source, m.destination(), m.type(), m.options(), m.source(), m.readOnly());
            }
        }
        ContainerConfig shared = share.apply(cc.toBuilder().mounts(others).build());
        List<Mount> result = new ArrayList<>();
        int next = 0;
        for (Mount m : mapped) result.add(m != null ? m : shared.mounts().get(next++));
        return shared.toBuilder().mounts(result).build();
    }

    /** The guest path of {@code hostSource} when it is in a volume, else null. */
    static String guestSource(List<Volume> volumes, String hostSource) {
        for (Volume v : volumes) {
            String root = v.hostPath().endsWith("/") && v.hostPath().length() > 1
                    ? v.hostPath().substring(0, v.hostPath().length() - 1) : v.hostPath();
            if (hostSource.equals(root)) return GUEST_DIR + "/" + v.mountTag();
            if (hostSource.startsWith(root + "/")) return GUEST_DIR + "/" + v.mountTag() + hostSource.substring(root.length());
        }
        return null;
    }
}
