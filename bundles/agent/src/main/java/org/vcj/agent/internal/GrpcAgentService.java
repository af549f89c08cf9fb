package org.vcj.agent.internal;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.vcj.agent.protocol.*;

/** The AgentService RPCs: validates, delegates to the managers and maps failures to gRPC statuses. */
public final class GrpcAgentService extends AgentServiceGrpc.AgentServiceImplBase {
    private static final System.Logger LOG = System.getLogger("org.vcj.agent.rpc");
    private static final Empty EMPTY = Empty.getDefaultInstance();
    private static final long READ_WAIT_MS = 1000;

    private final ContainerManager mgr;
    private final OomWatcher oom;
    private final MetricsCollector metrics;
    private final NetworkConfigurator net = new NetworkConfigurator();
    private final GuestIdentity guest;
    private final ProcessLister lister;

    /** @param guest the guest-only operations, or null for an agent on the host (they are then refused) */
    public GrpcAgentService(ContainerManager mgr, OomWatcher oom, MetricsCollector metrics, GuestIdentity guest) {
        this.mgr = mgr;
        this.oom = oom;
        this.metrics = metrics;
        this.guest = guest;
        this.lister = new ProcessLister(mgr.runtime());
    }

    private GuestIdentity guest(String rpc) {
        if (guest == null) {
            throw AgentErrors.state(rpc + " changes the whole machine: only an agent started with --guest (inside its VM) does it");
        }
        return guest;
    }

    /** A handler body that may fail. */
    @FunctionalInterface
    interface Body<T> {
        T run() throws Exception;
    }

    static <T> void reply(StreamObserver<T> obs, String rpc, Body<T> body) {
        T result;
        try {
            result = body.run();
        } catch (StatusRuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: {1}", rpc, e.getStatus());
            obs.onError(e);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            obs.onError(Status.CANCELLED.withDescription(rpc + " interrupted").asRuntimeException());
            return;
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, rpc + " failed", e);
            obs.onError(Status.INTERNAL.withDescription(AgentErrors.oneLine(rpc + " failed: " + e.getMessage())).withCause(e).asRuntimeException());
            return;
        }
        obs.onNext(result);
        obs.onCompleted();
    }

    private static ProcessInfo info(ManagedProcess p) {
        return ProcessInfo.newBuilder().setExecId(p.execId()).setPid(p.pid()).setStartTimeMillis(p.startMillis()).build();
    }

    @Override
    public void createSandbox(CreateSandboxRequest r, StreamObserver<Empty> o) {
        reply(o, "CreateSandbox", () -> {
            if (guest != null) guest.assign(r.getHostname(), r.getGuestSharedDir());
            mgr.createSandbox(r);
            return EMPTY;
        });
    }

    @Override
    public void destroySandbox(DestroySandboxRequest r, StreamObserver<Empty> o) {
        reply(o, "DestroySandbox", () -> {
            String shared = mgr.sharedDir();
            mgr.destroySandbox();
            if (guest != null) guest.release(shared);
            return EMPTY;
        });
    }

    @Override
    public void createContainer(CreateContainerRequest r, StreamObserver<Empty> o) {
        reply(o, "CreateContainer", () -> { mgr.create(r); return EMPTY; });
    }

    @Override
    public void startContainer(StartContainerRequest r, StreamObserver<ProcessInfo> o) {
        reply(o, "StartContainer", () -> info(mgr.start(r.getContainerId())));
    }

    @Override
    public void removeContainer(RemoveContainerRequest r, StreamObserver<Empty> o) {
        reply(o, "RemoveContainer", () -> { mgr.remove(r.getContainerId(), r.getTimeout()); return EMPTY; });
    }

    @Override
    public void execProcess(ExecProcessRequest r, StreamObserver<ProcessInfo> o) {
        reply(o, "ExecProcess", () -> info(mgr.exec(r.getContainerId(), r.getExecId(), r.getCmd())));
    }

    @Override
    public void signalProcess(SignalProcessRequest r, StreamObserver<Empty> o) {
        reply(o, "SignalProcess", () -> {
            if (r.getSignal() == 0 || r.getSignal() > 64) {
                throw AgentErrors.invalid("signal " + r.getSignal() + " is out of range 1..64");
            }
            mgr.signal(r.getContainerId(), r.getExecId(), r.getSignal(), r.getAll());
            return EMPTY;
        });
    }

    @Override
    public void waitProcess(WaitProcessRequest r, StreamObserver<WaitProcessResponse> o) {
        reply(o, "WaitProcess", () -> {
            Container c = mgr.get(r.getContainerId());
            ManagedProcess p = c.process(r.getExecId());
            Integer code = p.await(r.getTimeoutMillis());
            if (code != null && p != c.main()) {
                p.markWaited();
                forgetIfFinished(c, p);
            }
            return WaitProcessResponse.newBuilder().setExited(code != null).setStatus(code == null ? 0 : code).build();
        });
    }

    @Override
    public void listProcesses(ListProcessesRequest r, StreamObserver<ListProcessesResponse> o) {
        reply(o, "ListProcesses", () -> {
            Container c = mgr.get(r.getContainerId());
            String fmt = r.getFormat().isEmpty() ? "table" : r.getFormat();
            if (!fmt.equals("table") && !fmt.equals("json")) {
                throw AgentErrors.invalid("ps format '" + fmt + "' is unknown: use table or json");
            }
            byte[] out = lister.list(c, fmt, r.getArgsList());
            return ListProcessesResponse.newBuilder().setProcessList(ByteString.copyFrom(out)).build();
        });
    }

    @Override
    public void updateContainer(UpdateContainerRequest r, StreamObserver<Empty> o) {
        reply(o, "UpdateContainer", () -> {
            mgr.get(r.getContainerId());
            LinuxResources res = r.getResources();
            List<String> a = new ArrayList<>(List.of("update"));
            if (res.hasMemoryLimit()) { a.add("--memory"); a.add(Long.toString(res.getMemoryLimit())); }
            if (res.hasCpuQuota()) { a.add("--cpu-quota"); a.add(Long.toString(res.getCpuQuota())); }
            if (res.hasCpuPeriod()) { a.add("--cpu-period"); a.add(Long.toString(res.getCpuPeriod())); }
            if (res.hasCpuShares()) { a.add("--cpu-share"); a.add(Long.toString(res.getCpuShares())); }
            if (res.hasCpusetCpus()) { a.add("--cpuset-cpus"); a.add(res.getCpusetCpus()); }
            if (res.hasPidsLimit()) { a.add("--pids-limit"); a.add(Long.toString(res.getPidsLimit())); }
            if (a.size() == 1) {
                throw AgentErrors.invalid("UpdateContainer " + r.getContainerId() + " sets no resource");
            }
            a.add(r.getContainerId());
            mgr.runtime().check(a.toArray(new String[0]));
            return EMPTY;
        });
    }

    @Override
    public void statsContainer(StatsContainerRequest r, StreamObserver<StatsContainerResponse> o) {
        reply(o, "StatsContainer", () -> {
            Container c = mgr.get(r.getContainerId());
            ContainerStateGate.STATS.check(c);
            CgroupStats cg = CgroupFiles.unified()
                    ? CgroupV2Stats.read(CgroupFiles.v2Dir(mgr.sandboxId(), c.id()))
                    : StatsReader.read(mgr.runtime(), c.id());
            return StatsContainerResponse.newBuilder().setCgroupStats(cg).build();
        });
    }

    @Override
    public void pauseContainer(PauseContainerRequest r, StreamObserver<Empty> o) {
        reply(o, "PauseContainer", () -> { mgr.pause(r.getContainerId(), true); return EMPTY; });
    }

    @Override
    public void resumeContainer(ResumeContainerRequest r, StreamObserver<Empty> o) {
        reply(o, "ResumeContainer", () -> { mgr.pause(r.getContainerId(), false); return EMPTY; });
    }

    @Override
    public void writeStdin(WriteStreamRequest r, StreamObserver<WriteStreamResponse> o) {
        reply(o, "WriteStdin", () -> {
            ManagedProcess p = mgr.get(r.getContainerId()).process(r.getExecId());
            try {
                return WriteStreamResponse.newBuilder().setLen(p.write(r.getData().toByteArray())).build();
            } catch (IOException e) {
                throw AgentErrors.state("cannot write stdin of " + p.execId() + ": " + e.getMessage());
            }
        });
    }

    @Override
    public void closeStdin(CloseStdinRequest r, StreamObserver<Empty> o) {
        reply(o, "CloseStdin", () -> { mgr.get(r.getContainerId()).process(r.getExecId()).closeStdin(); return EMPTY; });
    }

    @Override
    public void readStdout(ReadStreamRequest r, StreamObserver<ReadStreamResponse> o) {
        reply(o, "ReadStdout", () -> read(r, true));
    }

    @Override
    public void readStderr(ReadStreamRequest r, StreamObserver<ReadStreamResponse> o) {
        reply(o, "ReadStderr", () -> read(r, false));
    }

    private ReadStreamResponse read(ReadStreamRequest r, boolean stdout) throws InterruptedException {
        Container c = mgr.get(r.getContainerId());
        ManagedProcess p = c.process(r.getExecId());
        StreamBuffer.Chunk ch = (stdout ? p.stdout() : p.stderr()).read(r.getLen(), READ_WAIT_MS);
        forgetIfFinished(c, p);
        return ReadStreamResponse.newBuilder().setData(ByteString.copyFrom(ch.data())).setEof(ch.eof()).build();
    }

    /** An exec is forgotten once it was waited for and its output fully read (the main process stays). */
    private static void forgetIfFinished(Container c, ManagedProcess p) {
        if (p != c.main() && p.finished()) {
            c.execs().remove(p.execId(), p);
        }
    }

    @Override
    public void ttyWinResize(TtyWinResizeRequest r, StreamObserver<Empty> o) {
        reply(o, "TtyWinResize", () -> {
            if (r.getRow() <= 0 || r.getColumn() <= 0 || r.getRow() > 0xffff || r.getColumn() > 0xffff) {
                throw AgentErrors.invalid("window size " + r.getRow() + "x" + r.getColumn() + " of " + r.getContainerId()
                        + " is out of range: rows and columns must be 1..65535");
            }
            ManagedProcess p = mgr.get(r.getContainerId()).process(r.getExecId());
            try {
                p.resize(r.getRow(), r.getColumn());
            } catch (IOException e) {
                throw AgentErrors.state("cannot resize the terminal of " + p.execId() + ": " + e.getMessage());
            }
            return EMPTY;
        });
    }

    @Override
    public void updateInterface(UpdateInterfaceRequest r, StreamObserver<Interface> o) {
        reply(o, "UpdateInterface", () -> net.update(r.getInterface()));
    }

    @Override
    public void updateRoutes(UpdateRoutesRequest r, StreamObserver<Routes> o) {
        reply(o, "UpdateRoutes", () -> Routes.newBuilder().addAllRoutes(net.update(r.getRoutes().getRoutesList())).build());
    }

    @Override
    public void listInterfaces(ListInterfacesRequest r, StreamObserver<Interfaces> o) {
        reply(o, "ListInterfaces", () -> Interfaces.newBuilder().addAllInterfaces(net.interfaces()).build());
    }

    @Override
    public void listRoutes(ListRoutesRequest r, StreamObserver<Routes> o) {
        reply(o, "ListRoutes", () -> Routes.newBuilder().addAllRoutes(net.routes()).build());
    }

    @Override
    public void onlineCPUMem(OnlineCPUMemRequest r, StreamObserver<Empty> o) {
        reply(o, "OnlineCPUMem", () -> {
            LOG.log(System.Logger.Level.INFO, new CpuMemOnliner().online(r.getNbCpus(), r.getCpuOnly(), r.getWait()));
            return EMPTY;
        });
    }

    @Override
    public void reseedRandomDev(ReseedRandomDevRequest r, StreamObserver<Empty> o) {
        reply(o, "ReseedRandomDev", () -> { guest("ReseedRandomDev").reseed(r.getData().toByteArray()); return EMPTY; });
    }

    @Override
    public void setGuestDateTime(SetGuestDateTimeRequest r, StreamObserver<Empty> o) {
        reply(o, "SetGuestDateTime", () -> { guest("SetGuestDateTime").setClock(r.getSec(), r.getUsec()); return EMPTY; });
    }

    @Override
    public void getOOMEvent(GetOOMEventRequest r, StreamObserver<OOMEvent> o) {
        reply(o, "GetOOMEvent", () -> OOMEvent.newBuilder().setContainerId(oom.await(r.getTimeoutMillis())).build());
    }

    @Override
    public void getMetrics(GetMetricsRequest r, StreamObserver<Metrics> o) {
        reply(o, "GetMetrics", () -> Metrics.newBuilder().setMetrics(metrics.render()).build());
    }
}
