package org.vcj.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vcj.agent.protocol.CreateContainerRequest;
import org.vcj.agent.protocol.Device;

class GuestDisksTest {

    @TempDir
    Path sys;

    @Test
    void aDiskNamedBySerialGetsTheGuestsMajorMinorOthersStayAsGiven() throws Exception {
        disk("vda", "other", "254:0");
        disk("vdb", "vd0123456789abcd", "254:16");
        Device host = Device.newBuilder().setContainerPath("/dev/null").setType("c").setMajor(1).setMinor(3).build();
        CreateContainerRequest req = CreateContainerRequest.newBuilder().setContainerId("c1")
                .addDevices(host)
                .addDevices(Device.newBuilder().setContainerPath("/dev/xyz").setType("b").setMajor(7).setMinor(3)
                        .setBlockSerial("vd0123456789abcd"))
                .build();
        CreateContainerRequest out = GuestDisks.resolved(req, sys);
        assertEquals(host, out.getDevices(0));
        Device d = out.getDevices(1);
        assertEquals("/dev/xyz", d.getContainerPath());
        assertEquals(254, d.getMajor());
        assertEquals(16, d.getMinor());
        assertEquals("/dev/vdb", d.getGuestPath());
    }

    @Test
    void aRequestWithoutHotpluggedDisksIsUnchanged() throws Exception {
        CreateContainerRequest req = CreateContainerRequest.newBuilder().setContainerId("c1").build();
        assertSame(req, GuestDisks.resolved(req, sys));
    }

    private void disk(String name, String serial, String dev) throws Exception {
        Path d = Files.createDirectories(sys.resolve(name));
        Files.writeString(d.resolve("serial"), serial + "\n");
        Files.writeString(d.resolve("dev"), dev + "\n");
    }
}
