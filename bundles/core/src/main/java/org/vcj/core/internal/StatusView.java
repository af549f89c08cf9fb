package org.vcj.core.internal;

import java.time.Instant;
import java.util.List;

import org.vcj.api.ContainerStatus;
import org.vcj.api.SandboxState;
import org.vcj.api.SandboxStatus;
import org.vcj.api.VcException;
import org.vcj.api.hypervisor.Hypervisor;
import org.vcj.core.internal.SandboxRecord.ContainerRecord;

/** Turns records into the API's status structures, checking with the hypervisor that the VM still lives. */
final class StatusView {

    private final Engine engine;

    StatusView(Engine engine) {
        this.engine = engine;
    }

    SandboxStatus sandbox(SandboxRecord r) {
        List<Long> pids = List.of();
        SandboxState state = r.state();
        boolean vmPaused = r.vmPaused();
        if (r.vm() != null) {
            try {
                Hypervisor hv = engine.hypervisor(r);
                hv.check(r.vm());
                pids = hv.pids(r.vm());
            } catch (VcException e) {
                // The VM is gone although the record says otherwise (crash, kill): say so, keep the record for delete.
                if (state == SandboxState.READY || state == SandboxState.RUNNING || state == SandboxState.PAUSED) {
                    state = SandboxState.STOPPED;
                }
                vmPaused = false;
            }
        }
        return new SandboxStatus(r.id(), state, r.config().hypervisorType(), r.config().hypervisorConfig(),
                r.config().agentType(), r.containers().stream().map(StatusView::container).toList(),
                r.config().annotations(), pids, vmPaused);
    }

    static ContainerStatus container(ContainerRecord c) {
        return new ContainerStatus(c.id(), c.state(), c.pid(),
                c.startMillis() == 0 ? null : Instant.ofEpochMilli(c.startMillis()), c.config().rootFs(),
                c.config().annotations(), c.exitCode());
    }
}
