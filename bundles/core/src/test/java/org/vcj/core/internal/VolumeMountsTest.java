package org.vcj.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.vcj.api.ContainerConfig;
import org.vcj.api.Mount;
import org.vcj.api.Volume;

class VolumeMountsTest {

    private final List<Volume> volumes = List.of(new Volume("data", "/srv/data/"), new Volume("logs", "/var/log/app"));

    @Test
    void aSourceInAVolumeComesFromTheVolumesGuestMount() {
        assertEquals("/run/vcj/volumes/data", VolumeMounts.guestSource(volumes, "/srv/data"));
        assertEquals("/run/vcj/volumes/logs/x/y", VolumeMounts.guestSource(volumes, "/var/log/app/x/y"));
        assertNull(VolumeMounts.guestSource(volumes, "/var/log/application"));
        assertNull(VolumeMounts.guestSource(volumes, "/etc"));
    }

    @Test
    void volumeMountsKeepTheirPlaceAndOnlyTheOthersAreShared() {
        ContainerConfig cc = ContainerConfig.builder("c1").rootFs("/rootfs").cmd(org.vcj.api.Cmd.builder("sh").build()).mounts(List.of(
                new Mount("/etc/hosts", "/etc/hosts", "bind", List.of(), null, true),
                new Mount("/srv/data/sub", "/data", "bind", List.of(), null, false),
                new Mount("tmpfs", "/tmp", "tmpfs", List.of(), null, false))).build();
        ContainerConfig guest = VolumeMounts.toGuest(volumes, cc, shared -> {
            assertEquals(List.of("/etc/hosts", "tmpfs"), shared.mounts().stream().map(Mount::source).toList());
            return shared.toBuilder().rootFs("/guest/c1/rootfs").mounts(List.of(
                    new Mount("/guest/c1/mounts/0", "/etc/hosts", "bind", List.of(), "/etc/hosts", true),
                    shared.mounts().get(1))).build();
        });
        assertEquals("/guest/c1/rootfs", guest.rootFs());
        assertEquals(List.of("/guest/c1/mounts/0", "/run/vcj/volumes/data/sub", "tmpfs"),
                guest.mounts().stream().map(Mount::source).toList());
        assertEquals("/data", guest.mounts().get(1).destination());
    }
}
