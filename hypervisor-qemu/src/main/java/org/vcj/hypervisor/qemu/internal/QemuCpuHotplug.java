package org.vcj.hypervisor.qemu.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.vcj.api.HypervisorException;

/**
 * vCPU hotplug over QMP: {@code query-hotpluggable-cpus} names the free CPU slots (their QOM type and topology
 * properties); each new vCPU is a {@code device_add} of that type with those properties and the id
 * {@code vcpu-<socket>-<core>-<thread>}. Only growing: a vCPU unplug needs the guest to offline it first.
 */
final class QemuCpuHotplug {


    private final String vmId;
    private final QmpClient qmp;

    QemuCpuHotplug(String vmId, QmpClient qmp) {
        this.vmId = vmId;
        this.qmp = qmp;
    }

    /** One slot of {@code query-hotpluggable-cpus}: its QOM type, topology properties, and whether a vCPU is in it. */
    record Slot(String type, Map<String, Long> props, boolean plugged) {
        String deviceId() {
            return "vcpu-" + props.getOrDefault("socket-id", 0L) + "-" + props.getOrDefault("core-id", 0L) + "-"
                    + props.getOrDefault("thread-id", 0L);
        }

        String deviceAddArguments() {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("driver", type);
            a.put("id", deviceId());
            a.putAll(props);
            return QmpJson.object(a);
        }
    }

    /** Grows the VM to {@code vcpus} (a smaller number leaves it as it is); returns how many vCPUs it has afterwards. */
    int growTo(int vcpus) throws IOException {
        List<Slot> slots = parse(qmp.execute("query-hotpluggable-cpus"));
        int present = (int) slots.stream().filter(Slot::plugged).count();
        if (vcpus <= present) return present; // only growing: the VM keeps what it has
        List<Slot> free = new ArrayList<>(slots.stream().filter(s -> !s.plugged()).toList());
        if (vcpus - present > free.size()) {
            throw new HypervisorException(vmId, "resizeVCPUs", vcpus + " vCPUs asked, but the VM has room for "
                    + (present + free.size()) + " (maxcpus)", null);
        }
        // QEMU lists free slots from the highest id down: plug from the lowest, as the guest numbers them.
        free.sort((a, b) -> Long.compare(order(a), order(b)));
        for (int i = 0; i < vcpus - present; i++) {
            qmp.execute("device_add", free.get(i).deviceAddArguments());
        }
        return vcpus;
    }

    private static long order(Slot s) {
        return s.props().getOrDefault("socket-id", 0L) * 1_000_000 + s.props().getOrDefault("core-id", 0L) * 1_000
                + s.props().getOrDefault("thread-id", 0L);
    }

    static List<Slot> parse(String answer) {
        List<Slot> out = new ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode o : QmpJson.returned(answer)) {
            Map<String, Long> p = new LinkedHashMap<>();
            o.path("props").fields().forEachRemaining(f -> {
                if (f.getValue().isIntegralNumber()) p.put(f.getKey(), f.getValue().asLong());
            });
            out.add(new Slot(o.path("type").asText(null), p, o.hasNonNull("qom-path")));
        }
        return out;
    }
}
