package org.vcj.hypervisor.qemu.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.vcj.api.Device;
import org.vcj.api.DeviceInfo;
import org.vcj.api.HypervisorException;
import org.vcj.api.InvalidConfigException;

/**
 * Block device hotplug over QMP: a host file ({@code file} driver) or block device ({@code host_device}) as a
 * protocol node, a {@code raw} format node on it, and a {@code virtio-blk-pci} device on the first free PCIe root
 * port. The device id is also the disk's serial: the guest agent finds the disk by {@code /sys/block/vdX/serial}.
 * Node names derive from the id, so removal needs nothing but the id (a later process removes what an earlier one
 * plugged). A QEMU that runs as {@code qemu.user} reaches the disk through a root NBD server instead
 * ({@link QemuNbdDisks}), stopped at unplug (or with the VM).
 */
final class QemuBlockDevices {

    /** virtio-blk serials are at most 20 bytes. */
    static final int MAX_ID = 20;
    private static final Duration UNPLUG_TIMEOUT = Duration.ofSeconds(30);

    private final String vmId;
    private final QmpClient qmp;
    private final int rootPorts;
    private final QemuHelpers helpers;
    private final String user;

    /** @param user {@code qemu.user} (empty: QEMU is root and opens the disk itself) */
    QemuBlockDevices(String vmId, QmpClient qmp, int rootPorts, QemuHelpers helpers, String user) {
        this.vmId = vmId;
        this.qmp = qmp;
        this.rootPorts = rootPorts;
        this.helpers = helpers;
        this.user = user;
    }

    /** Plugs the device; returns it with its id ({@code info.id()}, which must be set) and an unknown guest path. */
    Device add(DeviceInfo info) throws IOException {
        String id = requireId(info);
        Path host = Path.of(info.hostPath());
        if (!Files.isRegularFile(host) && !isBlockDevice(host)) {
            throw new InvalidConfigException("DeviceInfo.HostPath", info.hostPath(),
                    "a hot-plugged disk is a regular file or a block device on the host");
        }
        String protocol = user.isEmpty() ? protocolNode(id, info.hostPath(), Files.isRegularFile(host))
                : QemuNbdDisks.start(vmId, helpers, id, info.hostPath(), user);
        try {
            qmp.execute("blockdev-add", protocol);
            qmp.execute("blockdev-add", formatNode(id));
            plugOnFreePort(id);
        } catch (HypervisorException | IOException e) {
            deleteNodes(id);
            if (!user.isEmpty()) QemuNbdDisks.stop(helpers, id);
            throw e;
        }
        return new Device(id, "b", info.withHotplug(id, true), "");
    }

    /** Unplugs the device (waits until the guest released it) and deletes its nodes; a device already gone is no error. */
    void remove(String id) throws IOException {
        if (exists(id)) {
            qmp.execute("device_del", QmpJson.object(Map.of("id", id)));
            long deadline = System.nanoTime() + UNPLUG_TIMEOUT.toNanos();
            while (exists(id)) {
                if (System.nanoTime() > deadline) {
                    throw new HypervisorException(vmId, "removeDevice", "the guest did not release disk " + id + " within "
                            + UNPLUG_TIMEOUT.toSeconds() + " s of device_del", null);
                }
                sleep(200);
            }
        }
        deleteNodes(id);
        if (!user.isEmpty()) QemuNbdDisks.stop(helpers, id);
    }

    static String protocolNode(String id, String hostPath, boolean regularFile) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("driver", regularFile ? "file" : "host_device");
        a.put("node-name", id + "-p");
        a.put("filename", hostPath);
        return QmpJson.object(a);
    }

    static String formatNode(String id) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("driver", "raw");
        a.put("node-name", id);
        a.put("file", id + "-p");
        return QmpJson.object(a);
    }

    static String device(String id, String bus) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("driver", "virtio-blk-pci");
        a.put("id", id);
        a.put("drive", id);
        a.put("serial", id);
        a.put("bus", bus);
        a.put("addr", "0");
        return QmpJson.object(a);
    }

    private void plugOnFreePort(String id) throws IOException {
        HypervisorException last = null;
        for (int i = 0; i < rootPorts; i++) {
            try {
                qmp.execute("device_add", device(id, "rp" + i));
                return;
            } catch (HypervisorException e) {
                last = e; // that port is taken (or unusable): try the next one
            }
        }
        throw new HypervisorException(vmId, "addDevice", "no free PCIe root port among " + rootPorts + " (raise "
                + "HypervisorConfig.DefaultBridges); QEMU's last answer: " + (last == null ? "-" : last.getMessage()), last);
    }

    private boolean exists(String id) throws IOException {
        try {
            qmp.execute("qom-get", QmpJson.object(Map.of("path", "/machine/peripheral/" + id, "property", "type")));
            return true;
        } catch (HypervisorException e) {
            return false;
        }
    }

    private void deleteNodes(String id) throws IOException {
        for (String node : List.of(id, id + "-p")) {
            try {
                qmp.execute("blockdev-del", QmpJson.object(Map.of("node-name", node)));
            } catch (HypervisorException e) {
                // not there (never added, or already deleted)
            }
        }
    }

    private String requireId(DeviceInfo info) {
        String id = info.id();
        if (id == null || !id.matches("[A-Za-z][A-Za-z0-9_-]{0," + (MAX_ID - 1) + "}")) {
            throw new InvalidConfigException("DeviceInfo.ID", id, "a hot-plugged disk of VM " + vmId
                    + " needs an id of 1-" + MAX_ID + " characters [A-Za-z0-9_-] starting with a letter (it is the disk's serial)");
        }
        return id;
    }

    private static boolean isBlockDevice(Path p) {
        try {
            Object mode = Files.getAttribute(p, "unix:mode");
            return mode instanceof Integer m && (m & 0170000) == 0060000;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HypervisorException(null, "removeDevice", "interrupted", e);
        }
    }
}
