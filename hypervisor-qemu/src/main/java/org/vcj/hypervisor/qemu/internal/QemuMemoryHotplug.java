package org.vcj.hypervisor.qemu.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.vcj.api.HypervisorException;

/**
 * Memory hotplug over QMP: a {@code memory-backend-ram} object and a {@code pc-dimm} on it, in one of the slots the
 * command line reserves ({@code -m ...,slots=,maxmem=}). Sizes are whole 128 MiB blocks (the x86 guest's memory block
 * size). Only growing. The DIMM's id names its size, so a later process can tell what was plugged from QOM alone.
 */
final class QemuMemoryHotplug {

    /** The x86-64 guest's memory block size: a DIMM is a multiple of it. */
    static final int BLOCK_MIB = 128;

    private final String vmId;
    private final QmpClient qmp;

    QemuMemoryHotplug(String vmId, QmpClient qmp) {
        this.vmId = vmId;
        this.qmp = qmp;
    }

    /**
     * Grows the VM to at least {@code wantedMiB}; returns its new size in MiB. The current size is what QEMU says
     * ({@code query-memory-size-summary}), not the record: a runtime killed after a plug did not save it.
     */
    int growTo(int wantedMiB) throws IOException {
        int currentMiB = currentMiB(qmp.execute("query-memory-size-summary"));
        if (wantedMiB <= currentMiB) return currentMiB; // only growing: the VM keeps what it has
        int addMiB = (wantedMiB - currentMiB + BLOCK_MIB - 1) / BLOCK_MIB * BLOCK_MIB;
        String id = "dimm" + currentMiB + "-" + addMiB;
        qmp.execute("object-add", backend(id, addMiB));
        try {
            qmp.execute("device_add", dimm(id));
        } catch (HypervisorException e) {
            try {
                qmp.execute("object-del", QmpJson.object(Map.of("id", id + "-mem")));
            } catch (HypervisorException ignored) {
                // best effort: the backend alone uses no guest slot
            }
            throw new HypervisorException(vmId, "resizeMemory", "QEMU refused a " + addMiB + " MiB DIMM (all slots used,"
                    + " or beyond maxmem?): " + e.getMessage(), e);
        }
        return currentMiB + addMiB;
    }

    /** base-memory + plugged-memory of a {@code query-memory-size-summary} answer, in MiB. */
    static int currentMiB(String answer) {
        com.fasterxml.jackson.databind.JsonNode r = QmpJson.returned(answer);
        if (!r.path("base-memory").canConvertToLong()) {
            throw new HypervisorException(null, "resizeMemory", "no base-memory in QEMU's answer: " + answer, null);
        }
        long bytes = r.path("base-memory").asLong() + r.path("plugged-memory").asLong(0);
        return (int) (bytes >> 20);
    }

    static String backend(String id, int mib) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("qom-type", "memory-backend-ram");
        a.put("id", id + "-mem");
        a.put("size", (long) mib * 1024 * 1024);
        return QmpJson.object(a);
    }

    static String dimm(String id) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("driver", "pc-dimm");
        a.put("id", id);
        a.put("memdev", id + "-mem");
        return QmpJson.object(a);
    }
}
