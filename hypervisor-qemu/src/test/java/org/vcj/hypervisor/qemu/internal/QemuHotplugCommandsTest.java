package org.vcj.hypervisor.qemu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

/** The QMP arguments the hotplug classes send, and how they read QEMU's answers (texts as QEMU 7.2 printed them). */
class QemuHotplugCommandsTest {

    @Test
    void aHostFileIsAFileNodeUnderARawNodeAndAVirtioBlkDeviceWhoseSerialIsItsId() {
        assertEquals("{\"driver\":\"file\",\"node-name\":\"vd1-p\",\"filename\":\"/tmp/a \\\"b\\\".img\"}",
                QemuBlockDevices.protocolNode("vd1", "/tmp/a \"b\".img", true));
        assertEquals("{\"driver\":\"host_device\",\"node-name\":\"vd1-p\",\"filename\":\"/dev/loop3\"}",
                QemuBlockDevices.protocolNode("vd1", "/dev/loop3", false));
        assertEquals("{\"driver\":\"raw\",\"node-name\":\"vd1\",\"file\":\"vd1-p\"}", QemuBlockDevices.formatNode("vd1"));
        assertEquals("{\"driver\":\"nbd\",\"node-name\":\"vd1-p\",\"server\":{\"type\":\"unix\",\"path\":\"/tmp/d/nbd-vd1.sock\"},"
                + "\"export\":\"vd1\"}", QemuNbdDisks.protocolNode("vd1", java.nio.file.Path.of("/tmp/d/nbd-vd1.sock")));
        assertEquals("{\"driver\":\"virtio-blk-pci\",\"id\":\"vd1\",\"drive\":\"vd1\",\"serial\":\"vd1\",\"bus\":\"rp2\",\"addr\":\"0\"}",
                QemuBlockDevices.device("vd1", "rp2"));
    }

    @Test
    void memoryIsARamBackendAndAPcDimmOnIt() {
        assertEquals("{\"qom-type\":\"memory-backend-ram\",\"id\":\"dimm1024-384-mem\",\"size\":402653184}",
                QemuMemoryHotplug.backend("dimm1024-384", 384));
        assertEquals("{\"driver\":\"pc-dimm\",\"id\":\"dimm1024-384\",\"memdev\":\"dimm1024-384-mem\"}",
                QemuMemoryHotplug.dimm("dimm1024-384"));
    }

    @Test
    void theMemorySizeIsBasePlusPlugged() {
        assertEquals(768, QemuMemoryHotplug.currentMiB("{\"return\": {\"base-memory\": 536870912, \"plugged-memory\": 268435456}}"));
        assertEquals(512, QemuMemoryHotplug.currentMiB("{\"return\": {\"base-memory\": 536870912}}"));
    }

    @Test
    void hotpluggableCpusAreReadWithTheirTypeTopologyAndWhetherPlugged() {
        String answer = "{\"return\": [{\"props\": {\"core-id\": 2, \"thread-id\": 0, \"node-id\": 0, \"socket-id\": 0}, "
                + "\"vcpus-count\": 1, \"type\": \"max-x86_64-cpu\"}, {\"props\": {\"core-id\": 1, \"thread-id\": 0, "
                + "\"node-id\": 0, \"socket-id\": 0}, \"vcpus-count\": 1, \"type\": \"max-x86_64-cpu\"}, {\"props\": "
                + "{\"core-id\": 0, \"thread-id\": 0, \"node-id\": 0, \"socket-id\": 0}, \"vcpus-count\": 1, "
                + "\"qom-path\": \"/machine/unattached/device[0]\", \"type\": \"max-x86_64-cpu\"}]}";
        List<QemuCpuHotplug.Slot> slots = QemuCpuHotplug.parse(answer);
        assertEquals(3, slots.size());
        assertFalse(slots.get(0).plugged());
        assertTrue(slots.get(2).plugged());
        assertEquals("max-x86_64-cpu", slots.get(1).type());
        assertEquals("{\"driver\":\"max-x86_64-cpu\",\"id\":\"vcpu-0-1-0\",\"core-id\":1,\"thread-id\":0,\"node-id\":0,\"socket-id\":0}",
                slots.get(1).deviceAddArguments());
    }

    @Test
    void anAnswerWithoutAnArrayHasNoSlotsAndBracesInStringsAreText() {
        assertEquals(List.of(), QemuCpuHotplug.parse("{\"return\": {}}"));
        assertEquals("}{\"", QmpJson.returned("{\"return\": [{\"a\": \"}{\\\"\"}]}").get(0).path("a").asText());
    }

    @Test
    void namesWithQuotesAndBackslashesAreEscapedInEveryCommand() {
        QemuNics.Nic nic = new QemuNics.Nic("eth\"0", "tap\"0\\", null, "02:00:00:00:00:01", null);
        JsonNode netdev = QmpJson.parse("t", QemuNicHotplug.netdevAdd(nic));
        assertEquals("tap\"0\\", netdev.path("ifname").asText());
        JsonNode device = QmpJson.parse("t", QemuNicHotplug.deviceAdd(nic, "rp\"1"));
        assertEquals("rp\"1", device.path("bus").asText());
        assertEquals("0", device.path("addr").asText(), "slot 0, the only one a guest scans behind a PCIe port");
        assertEquals(nic.deviceId(), device.path("id").asText());
        JsonNode cmd = QmpJson.parse("t", QmpJson.command("migrate", QmpJson.object(Map.of("uri", "unix:/run/a\"b/migrate.sock"))));
        assertEquals("migrate", cmd.path("execute").asText());
        assertEquals("unix:/run/a\"b/migrate.sock", cmd.path("arguments").path("uri").asText());
    }
}
