package org.vcj.core.internal;

import java.time.Instant;
import java.util.List;

import org.vcj.api.ContainerStatus;
import org.vcj.api.SandboxStatus;
import org.vcj.api.VcException;
import org.vcj.core.internal.SandboxRecord.ContainerRecord;

/** Turns records into the API's status structures. */
final class StatusView {

    private final Engine engine;

    StatusView(Engine engine) {
        this.engine = engine;
    }

    /**
     * The status of a record as saved: its state is the one the state gate sees (a record whose VM died is stopped
     * first, {@code SandboxOps}); the VM's pids are the hypervisor's (none when it cannot tell).
     */
    SandboxStatus sandbox(SandboxRecord r) {
        List<Long> pids = List.of();
        if (r.vm() != null) {
            try {
                pids = engine.hypervisor(r).pids(r.vm());
            } catch (VcException e) {
                // gone since it was checked: no pids to show; the next status records it stopped
            }
        }
        return new SandboxStatus(r.id(), r.state(), r.config().hypervisorType(), r.config().hypervisorConfig(),
                r.config().agentType(), r.containers().stream().map(StatusView::container).toList(),
                r.config().annotations(), pids, r.vmPaused());
    }

    static ContainerStatus container(ContainerRecord c) {
        return new ContainerStatus(c.id(), c.state(), c.pid(),
                c.startMillis() == 0 ? null : Instant.ofEpochMilli(c.startMillis()), c.config().rootFs(),
                c.config().annotations(), c.exitCode());
    }
}
