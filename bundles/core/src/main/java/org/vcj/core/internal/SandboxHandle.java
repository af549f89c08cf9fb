package org.vcj.core.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
        ops.addAnnotations(id, AnnotationMerge.validated(id, annotations));
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
        long pss = ops.vmPids(r).stream().mapToLong(ProcMemory::pssBytes).sum();
        return new SandboxStats(sum, r.vm().vcpus(), pss);
    }

    @Override
    public CompletionStage<VcException> monitor() {
        return SandboxMonitor.watch(ops, id);
    }

    @Override public void release() { ops.release(id); }

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
        return ops.agent(id, r -> r.requireContainer(containerId)).statsContainer(containerId);
    }

    @Override
    public ContainerStatus statusContainer(String containerId) {
        return StatusView.container(ops.container(id, containerId));
    }

    @Override
    public void updateContainer(String containerId, LinuxResources resources) {
        ops.change(id, r -> ops.devices.updateContainer(r, containerId, resources));
    }

    @Override
    public int waitProcess(String containerId, String processId) {
        return ops.waitProcess(id, containerId, processId);
    }

    @Override
    public Device addDevice(DeviceInfo info) {
        return ops.devices.addDevice(ops.load(id), info);
    }

    @Override
    public Interface addInterface(Interface inf) {
        Interface[] guest = new Interface[1];
        ops.change(id, r -> ops.devices.addInterface(r, inf, g -> guest[0] = g));
        return guest[0];
    }

    @Override
    public Interface removeInterface(Interface inf) {
        ops.change(id, r -> ops.devices.removeInterface(r, inf));
        return inf;
    }

    @Override public List<Interface> listInterfaces() { return ops.agent(id).listInterfaces(); }

    @Override
    public List<Route> updateRoutes(List<Route> routes) {
        return ops.agent(id, r -> ops.devices.requireIsolation(r, "updateRoutes")).updateRoutes(routes);
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
        return AgentIOStream.of(ops.agent(id, r -> r.requireContainer(containerId)), containerId, processId);
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

    @Override
    public String toString() {
        return "sandbox " + id;
    }
}
