package org.vcj.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.vcj.api.ContainerConfig;
import org.vcj.api.ContainerState;
import org.vcj.api.NotFoundException;
import org.vcj.api.SandboxConfig;
import org.vcj.api.SandboxState;
import org.vcj.api.hypervisor.VM;

/**
 * What vcj remembers of one sandbox: the durable record saved under {@code sandbox/<id>} before any state
 * change is reported. Immutable; every change makes a new record.
 *
 * @param version      record format version
 * @param id           sandbox id
 * @param state        sandbox state
 * @param config       the configuration it was created with
 * @param vm           the VM as the hypervisor described it (null until the VM exists)
 * @param containers   its containers, in creation order
 * @param createdMillis creation time, epoch milliseconds
 * @param vmPaused     whether the hypervisor paused the VM itself (pause on a hypervisor that can)
 * @param factory      the VM factory its VM came from (and a restart's VM comes from); null in records made before
 *                     factories were saved, which means {@code direct}
 */
record SandboxRecord(int version, String id, SandboxState state, SandboxConfig config, VM vm,
                     List<ContainerRecord> containers, long createdMillis, boolean vmPaused, String factory) {

    static final int VERSION = 1;

    SandboxRecord {
        containers = containers == null ? List.of() : List.copyOf(containers);
    }

    static SandboxRecord creating(SandboxConfig config, String factory) {
        return new SandboxRecord(VERSION, config.id(), SandboxState.CREATING, config.withContainers(List.of()), null,
                List.of(), System.currentTimeMillis(), false, factory);
    }

    /** The VM factory of this sandbox ({@code direct} for records that do not name one). */
    String vmFactory() {
        return factory == null || factory.isEmpty() ? org.vcj.api.factory.VMFactory.DIRECT : factory;
    }

    /** The record in state {@code to}; the transition table decides ({@link StateGate}), else InvalidStateException. */
    SandboxRecord moveTo(SandboxState to, String operation) {
        StateGate.check(this, to, operation);
        return new SandboxRecord(version, id, to, config, vm, containers, createdMillis, vmPaused, factory);
    }

    SandboxRecord withVmPaused(boolean paused) {
        return new SandboxRecord(version, id, state, config, vm, containers, createdMillis, paused, factory);
    }

    SandboxRecord withVm(VM newVm) {
        return new SandboxRecord(version, id, state, config, newVm, containers, createdMillis, vmPaused, factory);
    }

    SandboxRecord withConfig(SandboxConfig newConfig) {
        return new SandboxRecord(version, id, state, newConfig, vm, containers, createdMillis, vmPaused, factory);
    }

    /** Adds the container, or replaces the one with the same id. */
    SandboxRecord withContainer(ContainerRecord c) {
        List<ContainerRecord> list = new ArrayList<>(containers);
        int i = indexOf(c.id());
        if (i >= 0) list.set(i, c); else list.add(c);
        return new SandboxRecord(version, id, state, config, vm, list, createdMillis, vmPaused, factory);
    }

    SandboxRecord withoutContainer(String containerId) {
        List<ContainerRecord> list = new ArrayList<>(containers);
        list.removeIf(c -> c.id().equals(containerId));
        return new SandboxRecord(version, id, state, config, vm, list, createdMillis, vmPaused, factory);
    }

    Optional<ContainerRecord> container(String containerId) {
        int i = indexOf(containerId);
        return i < 0 ? Optional.empty() : Optional.of(containers.get(i));
    }

    ContainerRecord requireContainer(String containerId) {
        return container(containerId).orElseThrow(() -> new NotFoundException("container", containerId,
                "sandbox " + id + " has no such container; see 'vcj status " + id + "'"));
    }

    private int indexOf(String containerId) {
        for (int i = 0; i < containers.size(); i++) {
            if (containers.get(i).id().equals(containerId)) return i;
        }
        return -1;
    }

    /**
     * One container of the sandbox.
     *
     * @param id          container id
     * @param state       container state
     * @param config      its configuration (host paths, as given by the caller)
     * @param pid         pid of its main process in the VM (0 before start)
     * @param startMillis start time, epoch milliseconds (0 before start)
     * @param exitCode    exit code of its main process once it ended, else null
     */
    record ContainerRecord(String id, ContainerState state, ContainerConfig config, int pid, long startMillis,
                           Integer exitCode) {

        static ContainerRecord creating(ContainerConfig config) {
            return new ContainerRecord(config.id(), ContainerState.CREATING, config, 0, 0, null);
        }

        /** The container in state {@code to}; the transition table decides ({@link StateGate}), else InvalidStateException. */
        ContainerRecord moveTo(ContainerState to, String operation) {
            StateGate.check(this, to, operation);
            boolean fresh = to == ContainerState.READY; // created (again): no process yet
            return new ContainerRecord(id, to, config, fresh ? 0 : pid, fresh ? 0 : startMillis, fresh ? null : exitCode);
        }

        ContainerRecord started(int newPid, long millis, String operation) {
            StateGate.check(this, ContainerState.RUNNING, operation);
            return new ContainerRecord(id, ContainerState.RUNNING, config, newPid, millis, null);
        }

        /** Stopped, with the exit code that was observed, or {@code null} when nobody saw it exit. */
        ContainerRecord exited(Integer code, String operation) {
            StateGate.check(this, ContainerState.STOPPED, operation);
            return new ContainerRecord(id, ContainerState.STOPPED, config, pid, startMillis, code);
        }

        ContainerRecord withConfig(ContainerConfig newConfig) {
            return new ContainerRecord(id, state, newConfig, pid, startMillis, exitCode);
        }
    }
}
