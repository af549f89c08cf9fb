package org.vcj.agent.client.internal;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.vcj.agent.protocol.CheckRequest;
import org.vcj.agent.protocol.ReseedRandomDevRequest;
import org.vcj.agent.protocol.SetGuestDateTimeRequest;
import org.vcj.agent.protocol.CloseStdinRequest;
import org.vcj.agent.protocol.CreateSandboxRequest;
import org.vcj.agent.protocol.DestroySandboxRequest;
import org.vcj.agent.protocol.ExecProcessRequest;
import org.vcj.agent.protocol.GetMetricsRequest;
import org.vcj.agent.protocol.GetOOMEventRequest;
import org.vcj.agent.protocol.HealthCheckResponse.ServingStatus;
import org.vcj.agent.protocol.ListInterfacesRequest;
import org.vcj.agent.protocol.ListProcessesRequest;
import org.vcj.agent.protocol.ListRoutesRequest;
import org.vcj.agent.protocol.OnlineCPUMemRequest;
import org.vcj.agent.protocol.PauseContainerRequest;
import org.vcj.agent.protocol.ReadStreamRequest;
import org.vcj.agent.protocol.ReadStreamResponse;
import org.vcj.agent.protocol.RemoveContainerRequest;
import org.vcj.agent.protocol.ResumeContainerRequest;
import org.vcj.agent.protocol.Routes;
import org.vcj.agent.protocol.SignalProcessRequest;
import org.vcj.agent.protocol.StartContainerRequest;
import org.vcj.agent.protocol.StatsContainerRequest;
import org.vcj.agent.protocol.TtyWinResizeRequest;
import org.vcj.agent.protocol.UpdateContainerRequest;
import org.vcj.agent.protocol.UpdateInterfaceRequest;
import org.vcj.agent.protocol.UpdateRoutesRequest;
import org.vcj.agent.protocol.WaitProcessRequest;
import org.vcj.agent.protocol.WaitProcessResponse;
import org.vcj.agent.protocol.WriteStreamRequest;
import org.vcj.api.AgentException;
import org.vcj.api.Cmd;
import org.vcj.api.ContainerConfig;
import org.vcj.api.ContainerStats;
import org.vcj.api.Interface;
import org.vcj.api.LinuxResources;
import org.vcj.api.Process;
import org.vcj.api.Route;
import org.vcj.api.agent.Agent;

/** An {@link Agent} over the generated gRPC blocking stubs; each RPC has a deadline (see {@link AgentCalls}). */
final class GrpcAgent implements Agent {
    private final AgentCalls calls;

    GrpcAgent(AgentCalls calls) {
        this.calls = calls;
    }

    @Override
    public String check(Duration timeout) {
        ServingStatus status = calls.health("Check", timeout,
                h -> h.check(CheckRequest.getDefaultInstance()).getStatus());
        if (status != ServingStatus.SERVING) {
            throw new AgentException(calls.sandboxId(), "Check", null, "the agent reports " + status
                    + " instead of SERVING; wait for it to start or look at its log", null);
        }
        return calls.health("Version", timeout, h -> h.version(CheckRequest.getDefaultInstance()).getAgentVersion());
    }

    @Override
    public void createSandbox(String sandboxId, String hostname, String guestSharedDir) {
        CreateSandboxRequest.Builder b = CreateSandboxRequest.newBuilder().setSandboxId(sandboxId);
        if (hostname != null) {
            b.setHostname(hostname);
        }
        if (guestSharedDir != null) {
            b.setGuestSharedDir(guestSharedDir);
        }
        calls.agent("CreateSandbox", s -> s.createSandbox(b.build()));
    }

    @Override
    public void destroySandbox() {
        calls.agent("DestroySandbox", s -> s.destroySandbox(DestroySandboxRequest.getDefaultInstance()));
    }

    @Override
    public void createContainer(ContainerConfig guestConfig) {
        calls.agent("CreateContainer", s -> s.createContainer(ProtoRequests.createContainer(guestConfig)));
    }

    @Override
    public Process startContainer(String containerId) {
        return ProtoResults.process(calls.agent("StartContainer",
                s -> s.startContainer(StartContainerRequest.newBuilder().setContainerId(containerId).build())));
    }

    @Override
    public void removeContainer(String containerId, Duration timeout) {
        long seconds = Math.max(0, (timeout.toMillis() + 999) / 1000);
        RemoveContainerRequest req = RemoveContainerRequest.newBuilder().setContainerId(containerId)
                .setTimeout((int) Math.min(seconds, Integer.MAX_VALUE)).build();
        calls.agent("RemoveContainer", AgentCalls.DEFAULT_DEADLINE.plus(timeout), s -> s.removeContainer(req));
    }

    @Override
    public Process execProcess(String containerId, String execId, Cmd cmd) {
        ExecProcessRequest req = ExecProcessRequest.newBuilder().setContainerId(containerId).setExecId(execId)
                .setCmd(ProtoRequests.cmd(cmd)).build();
        return ProtoResults.process(calls.agent("ExecProcess", s -> s.execProcess(req)));
    }

    @Override
    public void signalProcess(String containerId, String execId, int signal, boolean all) {
        SignalProcessRequest req = SignalProcessRequest.newBuilder().setContainerId(containerId).setExecId(execId)
                .setSignal(signal).setAll(all).build();
        calls.agent("SignalProcess", s -> s.signalProcess(req));
    }

    /** A negative timeout waits until the process exits (no deadline). */
    @Override
    public OptionalInt waitProcess(String containerId, String execId, Duration timeout) {
        boolean forever = timeout == null || timeout.isNegative();
        WaitProcessRequest req = WaitProcessRequest.newBuilder().setContainerId(containerId).setExecId(execId)
                .setTimeoutMillis(forever ? -1 : timeout.toMillis()).build();
        WaitProcessResponse r = calls.agent("WaitProcess", forever ? null : timeout.plus(AgentCalls.MARGIN),
                s -> s.waitProcess(req));
        return r.getExited() ? OptionalInt.of(r.getStatus()) : OptionalInt.empty();
    }

    @Override
    public void writeStdin(String containerId, String execId, byte[] data) {
        WriteStreamRequest req = WriteStreamRequest.newBuilder().setContainerId(containerId).setExecId(execId)
                .setData(ByteString.copyFrom(data)).build();
        calls.agent("WriteStdin", s -> s.writeStdin(req));
    }

    @Override
    public void closeStdin(String containerId, String execId) {
        calls.agent("CloseStdin",
                s -> s.closeStdin(CloseStdinRequest.newBuilder().setContainerId(containerId).setExecId(execId).build()));
    }

    @Override
    public byte[] readStdout(String containerId, String execId, int maxLength) {
        return read("ReadStdout", containerId, execId, maxLength, true);
    }

    @Override
    public byte[] readStderr(String containerId, String execId, int maxLength) {
        return read("ReadStderr", containerId, execId, maxLength, false);
    }

    /** The agent answers empty (eof=false) after ~1 s without data: ask again until data or end of stream. */
    private byte[] read(String rpc, String containerId, String execId, int maxLength, boolean stdout) {
        ReadStreamRequest req = ReadStreamRequest.newBuilder().setContainerId(containerId).setExecId(execId)
                .setLen(Math.max(1, maxLength)).build();
        while (true) {
            ReadStreamResponse r = calls.agent(rpc, s -> stdout ? s.readStdout(req) : s.readStderr(req));
            if (!r.getData().isEmpty() || r.getEof()) {
                return r.getData().toByteArray();
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new AgentException(calls.sandboxId(), rpc, null, "interrupted while waiting for output", null);
            }
        }
    }

    @Override
    public void ttyWinResize(String containerId, String execId, int rows, int columns) {
        TtyWinResizeRequest req = TtyWinResizeRequest.newBuilder().setContainerId(containerId).setExecId(execId)
                .setRow(rows).setColumn(columns).build();
        calls.agent("TtyWinResize", s -> s.ttyWinResize(req));
    }

    @Override
    public byte[] listProcesses(String containerId, String format, List<String> args) {
        ListProcessesRequest req = ListProcessesRequest.newBuilder().setContainerId(containerId)
                .setFormat(format == null ? "table" : format).addAllArgs(args == null ? List.of() : args).build();
        return calls.agent("ListProcesses", s -> s.listProcesses(req)).getProcessList().toByteArray();
    }

    @Override
    public void updateContainer(String containerId, LinuxResources resources) {
        UpdateContainerRequest req = UpdateContainerRequest.newBuilder().setContainerId(containerId)
                .setResources(ProtoRequests.resources(resources)).build();
        calls.agent("UpdateContainer", s -> s.updateContainer(req));
    }

    @Override
    public ContainerStats statsContainer(String containerId) {
        return ProtoResults.stats(calls.agent("StatsContainer",
                s -> s.statsContainer(StatsContainerRequest.newBuilder().setContainerId(containerId).build())));
    }

    @Override
    public void pauseContainer(String containerId) {
        calls.agent("PauseContainer",
                s -> s.pauseContainer(PauseContainerRequest.newBuilder().setContainerId(containerId).build()));
    }

    @Override
    public void resumeContainer(String containerId) {
        calls.agent("ResumeContainer",
                s -> s.resumeContainer(ResumeContainerRequest.newBuilder().setContainerId(containerId).build()));
    }

    @Override
    public Interface updateInterface(Interface inf) {
        UpdateInterfaceRequest req = UpdateInterfaceRequest.newBuilder().setInterface(ProtoRequests.iface(inf)).build();
        return ProtoResults.iface(calls.agent("UpdateInterface", s -> s.updateInterface(req)));
    }

    @Override
    public List<Route> updateRoutes(List<Route> routes) {
        Routes.Builder b = Routes.newBuilder();
        routes.forEach(r -> b.addRoutes(ProtoRequests.route(r)));
        UpdateRoutesRequest req = UpdateRoutesRequest.newBuilder().setRoutes(b).build();
        return ProtoResults.routes(calls.agent("UpdateRoutes", s -> s.updateRoutes(req)).getRoutesList());
    }

    @Override
    public List<Interface> listInterfaces() {
        return ProtoResults.interfaces(calls.agent("ListInterfaces",
                s -> s.listInterfaces(ListInterfacesRequest.getDefaultInstance())).getInterfacesList());
    }

    @Override
    public List<Route> listRoutes() {
        return ProtoResults.routes(calls.agent("ListRoutes",
                s -> s.listRoutes(ListRoutesRequest.getDefaultInstance())).getRoutesList());
    }

    @Override
    public void onlineCpuMem(int nbCpus, boolean cpuOnly) {
        OnlineCPUMemRequest req = OnlineCPUMemRequest.newBuilder().setWait(true).setNbCpus(nbCpus).setCpuOnly(cpuOnly).build();
        calls.agent("OnlineCPUMem", s -> s.onlineCPUMem(req));
    }

    @Override
    public void reseedRandomDev(byte[] data) {
        ReseedRandomDevRequest req = ReseedRandomDevRequest.newBuilder().setData(ByteString.copyFrom(data)).build();
        calls.agent("ReseedRandomDev", s -> s.reseedRandomDev(req));
    }

    @Override
    public void setGuestDateTime(java.time.Instant time) {
        SetGuestDateTimeRequest req = SetGuestDateTimeRequest.newBuilder().setSec(time.getEpochSecond())
                .setUsec(time.getNano() / 1000).build();
        calls.agent("SetGuestDateTime", s -> s.setGuestDateTime(req));
    }

    @Override
    public Optional<String> getOOMEvent(Duration timeout) {
        GetOOMEventRequest req = GetOOMEventRequest.newBuilder().setTimeoutMillis(Math.max(0, timeout.toMillis())).build();
        String cid = calls.agent("GetOOMEvent", timeout.plus(AgentCalls.MARGIN), s -> s.getOOMEvent(req)).getContainerId();
        return cid.isEmpty() ? Optional.empty() : Optional.of(cid);
    }

    @Override
    public String getMetrics() {
        return calls.agent("GetMetrics", s -> s.getMetrics(GetMetricsRequest.getDefaultInstance())).getMetrics();
    }

    @Override
    public void close() {
        calls.close();
    }

    @Override
    public String toString() {
        return "agent of sandbox " + calls.sandboxId();
    }
}
