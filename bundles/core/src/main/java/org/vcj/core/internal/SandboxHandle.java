package org.vcj.core.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletionStage;

import org.vcj.api.Cmd;
import org.vcj.api.ContainerConfig;
import org.vcj.api.ContainerStats;
import org.vcj.api.ContainerStatus;
import org.vcj.api.Device;
import org.vcj.api.DeviceInfo;
import org.vcj.api.IOStream;
import org.vcj.api.Interface;
import org.vcj.api.LinuxResources;
import org.vcj.api.InvalidConfigException;
import org.vcj.api.NotFoundException;
import org.vcj.api.NotSupportedException;
import org.vcj.api.Process;
import org.vcj.api.ProcessList;
import org.vcj.api.ProcessListOptions;
import org.vcj.api.Route;
import org.vcj.api.SandboxStats;
import org.vcj.api.SandboxStatus;
import org.vcj.api.VCContainer;
import org.vcj.api.VCSandbox;
import org.vcj.api.VcException;

/**
 * A sandbox handle: every operation works on the sandbox's latest saved record, so a handle from a fresh JVM
 * (fetchSandbox after a runtime restart) behaves like the one that created it.
 */
final class SandboxHandle implements VCSandbox {

    private final SandboxOps ops;
    private final String id;

    SandboxHandle(SandboxOps ops, String id) {
        this.ops = ops;
        this.id = id;
    }

    @Override public String id() { return id; }
    @Override
    public String annotations(String key) {
        if (key == null) throw new InvalidConfigException("annotation key", null, "name the annotation to read");
        String value = getAnnotations().get(key);
        if (value == null) {
            throw new NotFoundException("annotation", key, "sandbox " + id + " has no such annotation; getAnnotations() lists them");
        }
        return value;
    }

    @Override public Map<String, String> getAnnotations() { return ops.load(id).config().annotations(); }

    /** Merges: given keys get the given values, the others keep theirs (Kata's SetAnnotations). */
    @Override
    public void setAnnotations(Map<String, String> annotations) {
        Map<String, String> add = AnnotationMerge.validated(id, annotations);
        ops.change(id, r -> ops.engine.records.save(r.withConfig(
                r.config().withAnnotations(AnnotationMerge.merged(r.config().annotations(), add)))));
    }

    @Override
    public List<VCContainer> getAllContainers() {
        return ops.load(id).containers().stream().<VCContainer>map(c -> new ContainerHandle(this, c)).toList();
    }

    @Override
    public Optional<VCContainer> getContainer(String containerId) {
        return ops.load(id).container(containerId).map(c -> new ContainerHandle(this, c));
    }

    @Override public void start() { ops.change(id, ops.sandboxes::start); }
    @Override public void stop(boolean force) { ops.change(id, r -> ops.sandboxes.stop(r, force)); }
    @Override public void pause() { ops.change(id, ops.sandboxes::pause); }
    @Override public void resume() { ops.change(id, ops.sandboxes::resume); }
    @Override public void delete() { ops.delete(id); }
    @Override public SandboxStatus status() { return ops.statusSandbox(id); }

    @Override
    public SandboxStats stats() {
        SandboxStatus s = status();
        org.vcj.api.CgroupStats sum = CgroupStatsSum.of(s.containersStatus().stream()
                .filter(c -> c.state() == org.vcj.api.ContainerState.RUNNING || c.state() == org.vcj.api.ContainerState.PAUSED)
                .map(c -> statsContainer(c.id()).cgroupStats()).toList());
        SandboxRecord r = ops.load(id);
        if (r.vm() == null) return new SandboxStats(sum, 0, 0);
        long pss = ops.engine.hypervisor(r).pids(r.vm()).stream().mapToLong(ProcMemory::pssBytes).sum();
        return new SandboxStats(sum, r.vm().vcpus(), pss);
    }

    @Override
    public CompletionStage<VcException> monitor() {
        return SandboxMonitor.watch(ops, id);
    }

    @Override public void release() { ops.engine.agents.release(id); }

    @Override
    public VCContainer createContainer(ContainerConfig config) {
        ops.change(id, r -> ops.containers.create(r, ops.validContainer(config)));
        return container(config.id());
    }

    @Override
    public VCContainer deleteContainer(String containerId) {
        VCContainer before = container(containerId);
        ops.change(id, r -> ops.containers.delete(r, containerId));
        return before;
    }

    @Override
    public VCContainer startContainer(String containerId) {
        ops.change(id, r -> ops.containers.start(r, containerId));
        return container(containerId);
    }

    @Override
    public VCContainer stopContainer(String containerId, boolean force) {
        ops.change(id, r -> ops.containers.stop(r, containerId, force));
        return container(containerId);
    }

    @Override public Process enterContainer(String containerId, Cmd cmd) { return ops.enter(id, containerId, cmd); }
    @Override public void killContainer(String containerId, int signal, boolean all) { ops.kill(id, containerId, signal, all); }
    @Override public void pauseContainer(String containerId) { ops.change(id, r -> ops.containers.pause(r, containerId)); }
    @Override public void resumeContainer(String containerId) { ops.change(id, r -> ops.containers.resume(r, containerId)); }

    @Override
    public ProcessList processListContainer(String containerId, ProcessListOptions options) {
        return ops.ps(id, containerId, options);
    }

    @Override
    public ContainerStats statsContainer(String containerId) {
        ops.load(id).requireContainer(containerId);
        return ops.agent(id).statsContainer(containerId);
    }

    @Override
    public ContainerStatus statusContainer(String containerId) {
        return StatusView.container(ops.container(id, containerId));
    }

    @Override
    public void updateContainer(String containerId, LinuxResources resources) {
        ops.change(id, r -> {
            SandboxRecord.ContainerRecord c = StateGate.requireContainer(r, containerId, "update",
                    org.vcj.api.ContainerState.RUNNING, org.vcj.api.ContainerState.PAUSED);
            r = new VmHotplug(ops.engine).growFor(r, resources);
            ops.engine.agents.of(r).updateContainer(containerId, resources);
            return ops.engine.records.save(r.withContainer(c.withConfig(c.config().toBuilder().resources(resources).build())));
        });
    }

    @Override
    public int waitProcess(String containerId, String processId) {
        ops.load(id).requireContainer(containerId);
        OptionalInt code = ops.agent(id).waitProcess(containerId, processId, Duration.ofMillis(-1));
        if (code.isEmpty()) throw new org.vcj.api.AgentException(id, "WaitProcess", null, "process " + processId + " did not report an exit", null);
        if (processId.equals(containerId)) ops.change(id, ops.containers::refresh);
        return code.getAsInt();
    }

    @Override
    public Device addDevice(DeviceInfo info) {
        SandboxRecord r = ops.load(id);
        StateGate.requireSandbox(r, "add device", org.vcj.api.SandboxState.READY, org.vcj.api.SandboxState.RUNNING);
        new VmHotplug(ops.engine).require(r, "addDevice", org.vcj.api.hypervisor.HypervisorCapabilities::blockDeviceHotplug, "block devices");
        DeviceInfo named = info.id().isEmpty() ? info.withHotplug(VmHotplug.deviceId("sandbox/" + id, info.containerPath()), true) : info;
        return ops.engine.hypervisor(r).addDevice(r.vm(), named);
    }

    @Override
    public Interface addInterface(Interface inf) {
        requireIsolation("addInterface");
        Interface[] guest = new Interface[1];
        ops.change(id, r -> {
            StateGate.requireSandbox(r, "add interface", org.vcj.api.SandboxState.READY, org.vcj.api.SandboxState.RUNNING);
            org.vcj.api.hypervisor.NicAttachment a = ops.engine.hypervisor(r).addInterface(r.vm(), inf);
            r = ops.engine.records.save(r.withVm(a.vm()));
            guest[0] = ops.engine.agents.of(r).updateInterface(a.guestInterface());
            return r;
        });
        return guest[0];
    }

    @Override
    public Interface removeInterface(Interface inf) {
        requireIsolation("removeInterface");
        ops.change(id, r -> {
            StateGate.requireSandbox(r, "remove interface", org.vcj.api.SandboxState.READY, org.vcj.api.SandboxState.RUNNING);
            return ops.engine.records.save(r.withVm(ops.engine.hypervisor(r).removeInterface(r.vm(), inf)));
        });
        return inf;
    }

    @Override public List<Interface> listInterfaces() { return ops.agent(id).listInterfaces(); }

    @Override
    public List<Route> updateRoutes(List<Route> routes) {
        requireIsolation("updateRoutes");
        return ops.agent(id).updateRoutes(routes);
    }

    @Override public List<Route> listRoutes() { return ops.agent(id).listRoutes(); }

    @Override
    public void winsizeProcess(String containerId, String processId, int height, int width) {
        ops.agent(id).ttyWinResize(containerId, processId, height, width);
    }

    @Override
    public void signalProcess(String containerId, String processId, int signal, boolean all) {
        ops.agent(id).signalProcess(containerId, processId, signal, all);
    }

    @Override
    public IOStream ioStream(String containerId, String processId) {
        ops.load(id).requireContainer(containerId);
        return AgentIOStream.of(ops.agent(id), containerId, processId);
    }

    @Override public Optional<String> getOOMEvent(Duration timeout) { return ops.agent(id).getOOMEvent(timeout); }

    @Override
    public void updateRuntimeMetrics() {
        RuntimeMetrics.update(ops, id);
    }

    @Override
    public String getAgentMetrics() {
        return ops.agent(id).getMetrics() + RuntimeMetrics.text(id);
    }

    private VCContainer container(String containerId) {
        return new ContainerHandle(this, ops.load(id).requireContainer(containerId));
    }

    /** Network changes made by an agent without a VM would change the host itself: refuse them. */
    private void requireIsolation(String operation) {
        SandboxRecord r = ops.load(id);
        if (!ops.engine.hypervisor(r).capabilities().isolation()) {
            throw new NotSupportedException(operation, "hypervisor " + r.config().hypervisorType().name(),
                    "without a VM the agent shares the host's network; use a hypervisor with isolation, e.g. qemu");
        }
    }

    @Override
    public String toString() {
        return "sandbox " + id;
    }
}
