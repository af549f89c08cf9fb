package org.vcj.agent;

import static org.junit.jupiter.api.Assertions.*;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vcj.agent.protocol.*;
import org.vcj.agent.testing.AgentTestClient;
import org.vcj.agent.testing.BusyboxRootfs;
import org.vcj.agent.testing.RuncAgentSandbox;
import org.vcj.agent.testing.HostRoutes;

/** End-to-end: the agent in-process on a temp Unix socket driving real runc containers (needs root). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AgentRuncTest {
    @TempDir
    static Path tmp;
    static Path rootfs;
    static Path stateDir;
    static RuncAgentSandbox agent;
    static AgentTestClient client;

    @BeforeAll
    static void startAgent() throws Exception {
        rootfs = BusyboxRootfs.build(tmp.resolve("rootfs"));
        agent = RuncAgentSandbox.start(tmp, "sbt" + ProcessHandle.current().pid(), "vcjtest");
        client = agent.client();
        stateDir = agent.stateDir();
    }

    @AfterAll
    static void stop() throws Exception {
        if (agent != null) {
            agent.close();
        }
    }

    static Cmd cmd(String... args) {
        return Cmd.newBuilder().addAllArgs(List.of(args)).build();
    }

    static void create(String cid, Cmd cmd) {
        client.agent().createContainer(CreateContainerRequest.newBuilder().setContainerId(cid)
                .setRootfs(rootfs.toString()).setCmd(cmd).build());
    }

    static WaitProcessResponse waitFor(String cid, String exec, long ms) {
        return client.agent().waitProcess(WaitProcessRequest.newBuilder().setContainerId(cid).setExecId(exec)
                .setTimeoutMillis(ms).build());
    }

    static void remove(String cid) {
        client.agent().removeContainer(RemoveContainerRequest.newBuilder().setContainerId(cid).build());
    }

    @Test
    void echoThenExitCode() {
        create("c-echo", cmd("sh", "-c", "echo hi; hostname >&2; exit 3"));
        ProcessInfo pi = client.agent().startContainer(StartContainerRequest.newBuilder().setContainerId("c-echo").build());
        assertTrue(pi.getPid() > 0);
        assertEquals("hi\n", client.readAllStdout("c-echo", "", 10_000));
        ReadStreamResponse err = client.agent().readStderr(ReadStreamRequest.newBuilder().setContainerId("c-echo").build());
        assertEquals("vcjtest\n", err.getData().toStringUtf8());
        WaitProcessResponse w = waitFor("c-echo", "", 10_000);
        assertTrue(w.getExited());
        assertEquals(3, w.getStatus());
        remove("c-echo");
        assertFalse(Files.exists(stateDir.resolve("bundles/c-echo")));
    }

    @Test
    void stdinToStdout() {
        create("c-cat", cmd("cat"));
        client.agent().startContainer(StartContainerRequest.newBuilder().setContainerId("c-cat").build());
        WriteStreamResponse wr = client.agent().writeStdin(WriteStreamRequest.newBuilder().setContainerId("c-cat")
                .setData(ByteString.copyFromUtf8("abc\n")).build());
        assertEquals(4, wr.getLen());
        client.agent().closeStdin(CloseStdinRequest.newBuilder().setContainerId("c-cat").build());
        assertEquals("abc\n", client.readAllStdout("c-cat", "c-cat", 10_000));
        assertEquals(0, waitFor("c-cat", "c-cat", 10_000).getStatus());
        remove("c-cat");
    }

    @Test
    void execPsPauseStatsKillRemove() throws Exception {
        String cid = "c-sleep";
        create(cid, cmd("sleep", "300"));
        int pid = client.agent().startContainer(StartContainerRequest.newBuilder().setContainerId(cid).build()).getPid();
        assertTrue(ProcessHandle.of(pid).isPresent(), "container process " + pid + " runs on the host");

        ProcessInfo e1 = client.agent().execProcess(ExecProcessRequest.newBuilder().setContainerId(cid).setExecId("e1")
                .setCmd(cmd("echo", "x")).build());
        assertEquals("e1", e1.getExecId());
        assertEquals("x\n", client.readAllStdout(cid, "e1", 10_000));
        WaitProcessResponse ew = waitFor(cid, "e1", 10_000);
        assertTrue(ew.getExited());
        assertEquals(0, ew.getStatus());
        // wait first, read afterwards: the output stays until it is read
        client.agent().execProcess(ExecProcessRequest.newBuilder().setContainerId(cid).setExecId("e2")
                .setCmd(cmd("sh", "-c", "echo late; exit 4")).build());
        assertEquals(4, waitFor(cid, "e2", 10_000).getStatus());
        assertEquals("late\n", client.readAllStdout(cid, "e2", 10_000));

        String ps = client.agent().listProcesses(ListProcessesRequest.newBuilder().setContainerId(cid).setFormat("json")
                .build()).getProcessList().toStringUtf8();
        assertTrue(ps.contains(Integer.toString(pid)), "ps json " + ps + " lists " + pid);
        String table = client.agent().listProcesses(ListProcessesRequest.newBuilder().setContainerId(cid).build())
                .getProcessList().toStringUtf8();
        String[] rows = table.split("\n");
        assertEquals("UID        PID  PPID  C STIME TTY          TIME CMD", rows[0], table);
        assertEquals(2, rows.length, "only the container's process: " + table);
        assertTrue(rows[1].matches("root +" + pid + " +\\d+ +\\d+ \\d\\d:\\d\\d \\? +00:00:\\d\\d sleep 300"), rows[1]);
        String custom = client.agent().listProcesses(ListProcessesRequest.newBuilder().setContainerId(cid)
                .addAllArgs(List.of("-o", "pid,args")).build()).getProcessList().toStringUtf8();
        String[] customRows = custom.split("\n");
        assertEquals(2, customRows.length, "ps with args, filtered by PID: " + custom);
        assertEquals("PID COMMAND", customRows[0].trim());
        assertEquals(pid + " sleep 300", customRows[1].trim());
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> client.agent().listProcesses(ListProcessesRequest.newBuilder()
                .setContainerId(cid).addArgs("--no-such-ps-option").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());

        client.agent().pauseContainer(PauseContainerRequest.newBuilder().setContainerId(cid).build());
        assertEquals(Status.Code.FAILED_PRECONDITION, assertThrows(StatusRuntimeException.class, () -> client.agent()
                .execProcess(ExecProcessRequest.newBuilder().setContainerId(cid).setExecId("e2").setCmd(cmd("true")).build()))
                .getStatus().getCode());
        client.agent().resumeContainer(ResumeContainerRequest.newBuilder().setContainerId(cid).build());

        StatsContainerResponse st = client.agent().statsContainer(StatsContainerRequest.newBuilder().setContainerId(cid).build());
        assertTrue(st.getCgroupStats().getMemoryStats().getUsage().getUsage() > 0, st.toString());
        assertTrue(st.getCgroupStats().getPidsStats().getCurrent() >= 1, st.toString());

        client.agent().updateContainer(UpdateContainerRequest.newBuilder().setContainerId(cid)
                .setResources(LinuxResources.newBuilder().setPidsLimit(50)).build());
        st = client.agent().statsContainer(StatsContainerRequest.newBuilder().setContainerId(cid).build());
        assertEquals(50, st.getCgroupStats().getPidsStats().getLimit());

        String metrics = client.agent().getMetrics(GetMetricsRequest.getDefaultInstance()).getMetrics();
        assertTrue(metrics.contains("vcj_container_memory_usage_bytes{container_id=\"c-sleep\"}"), metrics);

        client.agent().signalProcess(SignalProcessRequest.newBuilder().setContainerId(cid).setSignal(9).build());
        WaitProcessResponse w = waitFor(cid, "", 10_000);
        assertTrue(w.getExited());
        assertEquals(137, w.getStatus());
        remove(cid);
        assertFalse(Files.exists(stateDir.resolve("runtime").resolve(cid)), "runc state removed");
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "no container process left");
    }

    @Test
    void errorsMapToStatusCodes() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> client.agent()
                .startContainer(StartContainerRequest.newBuilder().setContainerId("nope").build()));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        create("c-dup", cmd("true"));
        e = assertThrows(StatusRuntimeException.class, () -> create("c-dup", cmd("true")));
        assertEquals(Status.Code.ALREADY_EXISTS, e.getStatus().getCode());
        e = assertThrows(StatusRuntimeException.class, () -> waitFor("c-dup", "", 0));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
        e = assertThrows(StatusRuntimeException.class, () -> waitFor("c-dup", "no-exec", 0));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        remove("c-dup");
        e = assertThrows(StatusRuntimeException.class, () -> create("bad/id", cmd("sh")));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    }

    private static CommandError commandError(StatusRuntimeException e) {
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.toString());
        CommandError ce = e.getTrailers().get(io.grpc.protobuf.ProtoUtils.keyForProto(CommandError.getDefaultInstance()));
        assertNotNull(ce, "a CommandError trailer: " + e);
        return ce;
    }

    @Test
    void aMissingOrNonExecutableCommandIsACommandError() {
        create("c-none", cmd("nosuchcmd", "x"));
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> client.agent().startContainer(StartContainerRequest.newBuilder().setContainerId("c-none").build()));
        assertEquals(CommandError.Reason.NOT_FOUND, commandError(e).getReason());
        assertEquals("nosuchcmd", commandError(e).getCommand());
        assertTrue(e.getStatus().getDescription().startsWith("command 'nosuchcmd' not found in container c-none: no such executable in PATH "),
                e.getStatus().getDescription());
        remove("c-none");

        create("c-host", cmd("sleep", "300"));
        client.agent().startContainer(StartContainerRequest.newBuilder().setContainerId("c-host").build());
        e = assertThrows(StatusRuntimeException.class, () -> client.agent().execProcess(ExecProcessRequest.newBuilder()
                .setContainerId("c-host").setExecId("x1").setCmd(cmd("/etc/passwd")).build()));
        assertEquals(CommandError.Reason.NOT_EXECUTABLE, commandError(e).getReason());
        assertEquals("command '/etc/passwd' in container c-host cannot be executed: it has no execute permission",
                e.getStatus().getDescription());
        e = assertThrows(StatusRuntimeException.class, () -> client.agent().execProcess(ExecProcessRequest.newBuilder()
                .setContainerId("c-host").setExecId("x2").setCmd(cmd("nosuchcmd")).build()));
        assertEquals(CommandError.Reason.NOT_FOUND, commandError(e).getReason());
        e = assertThrows(StatusRuntimeException.class, () -> waitFor("c-host", "x2", 0));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode(), "an exec that never started is not kept");
        // the same exec id can be used again once the command is right
        client.agent().execProcess(ExecProcessRequest.newBuilder().setContainerId("c-host").setExecId("x2").setCmd(cmd("true")).build());
        assertEquals(0, waitFor("c-host", "x2", 10_000).getStatus());
        remove("c-host");
    }

    @Test
    void outputNobodyReadPastEightMiBIsDroppedWithAMarker() {
        create("c-flood", cmd("head", "-c", "10485760", "/dev/zero"));
        client.agent().startContainer(StartContainerRequest.newBuilder().setContainerId("c-flood").build());
        assertEquals(0, waitFor("c-flood", "", 30_000).getStatus());
        String out = client.readAllStdout("c-flood", "", 30_000);
        // The reader is told where bytes were dropped; a drop that happens while it reads gets a marker of its own.
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("\n\\[vcj: (\\d+) bytes of output dropped: more than 8 MiB was not read in time]\n").matcher(out);
        long dropped = 0;
        StringBuilder kept = new StringBuilder();
        int from = 0;
        while (m.find()) {
            dropped += Long.parseLong(m.group(1));
            kept.append(out, from, m.start());
            from = m.end();
        }
        kept.append(out.substring(from));
        assertTrue(out.startsWith("\n[vcj: "), "the first thing read is a marker: " + out.substring(0, Math.min(120, out.length())));
        assertEquals(2L << 20, dropped, "the markers count every dropped byte");
        assertEquals(8 << 20, kept.length(), "the newest 8 MiB are kept");
        assertTrue(kept.chars().allMatch(c -> c == 0), "and they are the process's zeros");
        remove("c-flood");
    }

    @Test
    void healthAndNetworkInfo() throws Exception {
        assertEquals(HealthCheckResponse.ServingStatus.SERVING,
                client.health().check(CheckRequest.getDefaultInstance()).getStatus());
        VersionCheckResponse v = client.health().version(CheckRequest.getDefaultInstance());
        assertEquals("runc", v.getOciRuntime());
        assertTrue(v.getStartupMillis() > 0);
        Interfaces ifs = client.agent().listInterfaces(ListInterfacesRequest.getDefaultInstance());
        Interface lo = ifs.getInterfacesList().stream().filter(i -> i.getName().equals("lo")).findFirst().orElseThrow();
        assertTrue(lo.getIpAddressesList().stream().anyMatch(a -> a.getAddress().equals("127.0.0.1")), lo.toString());
        assertEquals(65536, lo.getMtu());
        Set<String> routes = new TreeSet<>();
        for (Route r : client.agent().listRoutes(ListRoutesRequest.getDefaultInstance()).getRoutesList()) {
            routes.add(HostRoutes.of(r.getDest(), r.getGateway(), r.getDevice()));
        }
        assertEquals(HostRoutes.ipv4Main(), routes, "the agent lists the routes the kernel has (the agent shares the host's network here)");
        OOMEvent oom = client.agent().getOOMEvent(GetOOMEventRequest.newBuilder().setTimeoutMillis(200).build());
        assertEquals("", oom.getContainerId());
    }

    @Test
    void oomKillIsReported() {
        client.agent().createContainer(CreateContainerRequest.newBuilder().setContainerId("c-oom")
                .setRootfs(rootfs.toString()).setCmd(cmd("sh", "-c", "sleep 0.5; dd if=/dev/zero of=/dev/null bs=64M count=1"))
                .setResources(LinuxResources.newBuilder().setMemoryLimit(16L << 20)).build());
        client.agent().startContainer(StartContainerRequest.newBuilder().setContainerId("c-oom").build());
        OOMEvent oom = client.agent().getOOMEvent(GetOOMEventRequest.newBuilder().setTimeoutMillis(10_000).build());
        assertEquals("c-oom", oom.getContainerId());
        assertEquals(137, waitFor("c-oom", "", 10_000).getStatus());
        remove("c-oom");
    }

    @Test
    void execSignalAndGracefulRemove() {
        String cid = "c-exec";
        create(cid, cmd("sh", "-c", "trap 'exit 7' TERM; while true; do sleep 0.1; done"));
        client.agent().startContainer(StartContainerRequest.newBuilder().setContainerId(cid).build());
        client.agent().execProcess(ExecProcessRequest.newBuilder().setContainerId(cid).setExecId("s1")
                .setCmd(cmd("sleep", "300")).build());
        WaitProcessResponse running = waitFor(cid, "s1", 0);
        assertFalse(running.getExited());
        client.agent().signalProcess(SignalProcessRequest.newBuilder().setContainerId(cid).setExecId("s1").setSignal(15).build());
        assertEquals(143, waitFor(cid, "s1", -1).getStatus());
        // Forgotten once waited for and its (empty) output drained; the output pump may end a moment after the wait.
        StatusRuntimeException e = null;
        for (int i = 0; i < 100 && e == null; i++) {
            try {
                waitFor(cid, "s1", 0);
                Thread.sleep(50);
            } catch (StatusRuntimeException gone) {
                e = gone;
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }
        assertNotNull(e, "a waited-for exec is forgotten");
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode(), "a waited-for exec is forgotten");
        client.agent().removeContainer(RemoveContainerRequest.newBuilder().setContainerId(cid).setTimeout(5).build());
        e = assertThrows(StatusRuntimeException.class, () -> waitFor(cid, "", 0));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    }
}
