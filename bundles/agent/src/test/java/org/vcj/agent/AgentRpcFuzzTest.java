package org.vcj.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import org.vcj.agent.internal.AgentOptions;
import org.vcj.agent.internal.AgentServer;
import org.vcj.agent.protocol.*;
import org.vcj.agent.testing.AgentTestClient;
import org.vcj.testing.fuzz.FuzzInputs;

/**
 * Agent protocol messages with arbitrary field values sent to a real agent (in this JVM, on a Unix socket, no
 * containers): every call answers within its bound with a success or a typed status (never INTERNAL or UNKNOWN: an
 * unexpected exception in the agent) whose description is one line, and a refused call leaves the agent's state
 * directory as it was. The RPCs that change the machine itself (network, CPU onlining) are left out: this agent is
 * not in a VM; those that need --guest must refuse.
 */
class AgentRpcFuzzTest {

    private static Path tmp;
    private static AgentServer server;
    private static AgentTestClient client;

    @BeforeContainer
    static void startAgent() throws Exception {
        tmp = Files.createTempDirectory("vcj-agent-fuzz-");
        Path sock = tmp.resolve("agent.sock");
        server = AgentMain.start(AgentOptions.parse("--listen=unix://" + sock, "--oci-runtime=runc",
                "--state-dir=" + tmp.resolve("state")), System.nanoTime());
        client = new AgentTestClient(sock);
        client.agent().createSandbox(CreateSandboxRequest.newBuilder().setSandboxId("fuzz" + ProcessHandle.current().pid())
                .setHostname("vcjfuzz").setGuestSharedDir(tmp.toString()).build());
    }

    @AfterContainer
    static void stopAgent() throws Exception {
        if (client != null) {
            client.agent().destroySandbox(DestroySandboxRequest.getDefaultInstance());
            client.close();
        }
        if (server != null) server.close();
        try (Stream<Path> w = Files.walk(tmp)) {
            for (Path p : w.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** One call's arbitrary fields. */
    record Fields(int rpc, String id, String exec, long number, int small, String text, byte[] data) { }

    @Provide
    Arbitrary<Fields> calls() {
        Arbitrary<String> ids = FuzzInputs.text(List.of("c1", "fuzz", "init", "../state", "/", "sb"));
        return Combinators.combine(Arbitraries.integers().between(0, 17), ids, ids,
                Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.longs().between(-2, 300)),
                Arbitraries.oneOf(Arbitraries.integers(), Arbitraries.integers().between(-1, 70000)),
                FuzzInputs.text(List.of("table", "json", "-ef", "0-1", "x")), Arbitraries.bytes().array(byte[].class).ofMaxSize(64))
                .as(Fields::new);
    }

    /** Found by the property: an id with a line break made the NOT_FOUND description two lines. */
    @Example
    void anIdWithALineBreakIsShownEscaped() throws Exception {
        everyMessageGetsASuccessOrATypedOneLineStatus(new Fields(0, "\n", "", 0, 1, "", new byte[0]));
        everyMessageGetsASuccessOrATypedOneLineStatus(new Fields(4, "a\r\u0007b", "", 0, 1, "", new byte[0]));
    }

    @Property
    void everyMessageGetsASuccessOrATypedOneLineStatus(@ForAll("calls") Fields f) throws Exception {
        List<String> before = state();
        try {
            FuzzInputs.bounded(10_000, () -> call(f));
        } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            assertNotEquals(Status.Code.INTERNAL, code, "an unexpected exception in the agent: " + e.getStatus() + " for " + f);
            assertNotEquals(Status.Code.UNKNOWN, code, e.getStatus() + " for " + f);
            assertTrue(FuzzInputs.oneLine(e.getStatus().getDescription()), "one line: " + e.getStatus().getDescription());
            assertEquals(before, state(), "a refused call changed nothing: " + f);
        }
    }

    private static Object call(Fields f) {
        AgentServiceGrpc.AgentServiceBlockingStub a = client.agent().withDeadlineAfter(8, TimeUnit.SECONDS);
        long wait = Math.floorMod(f.number(), 300);
        return switch (f.rpc()) {
            case 0 -> a.signalProcess(SignalProcessRequest.newBuilder().setContainerId(f.id()).setExecId(f.exec())
                    .setSignal(f.small()).setAll(f.small() % 2 == 0).build());
            case 1 -> a.waitProcess(WaitProcessRequest.newBuilder().setContainerId(f.id()).setExecId(f.exec()).setTimeoutMillis(wait).build());
            case 2 -> a.listProcesses(ListProcessesRequest.newBuilder().setContainerId(f.id()).setFormat(f.text()).addArgs(f.exec()).build());
            case 3 -> a.updateContainer(UpdateContainerRequest.newBuilder().setContainerId(f.id()).setResources(
                    LinuxResources.newBuilder().setMemoryLimit(f.number()).setCpusetCpus(f.text()).setCpuShares(f.small())).build());
            case 4 -> a.statsContainer(StatsContainerRequest.newBuilder().setContainerId(f.id()).build());
            case 5 -> a.pauseContainer(PauseContainerRequest.newBuilder().setContainerId(f.id()).build());
            case 6 -> a.resumeContainer(ResumeContainerRequest.newBuilder().setContainerId(f.id()).build());
            case 7 -> a.writeStdin(WriteStreamRequest.newBuilder().setContainerId(f.id()).setExecId(f.exec())
                    .setData(ByteString.copyFrom(f.data())).build());
            case 8 -> a.closeStdin(CloseStdinRequest.newBuilder().setContainerId(f.id()).setExecId(f.exec()).build());
            case 9 -> a.readStdout(ReadStreamRequest.newBuilder().setContainerId(f.id()).setExecId(f.exec()).setLen(f.small()).build());
            case 10 -> a.ttyWinResize(TtyWinResizeRequest.newBuilder().setContainerId(f.id()).setExecId(f.exec())
                    .setRow(f.small()).setColumn((int) f.number()).build());
            case 11 -> a.removeContainer(RemoveContainerRequest.newBuilder().setContainerId(f.id()).setTimeout(f.small() & 3).build());
            case 12 -> a.startContainer(StartContainerRequest.newBuilder().setContainerId(f.id()).build());
            case 13 -> a.execProcess(ExecProcessRequest.newBuilder().setContainerId(f.id()).setExecId(f.exec())
                    .setCmd(Cmd.newBuilder().addArgs(f.text()).setWorkDir(f.exec())).build());
            case 14 -> a.reseedRandomDev(ReseedRandomDevRequest.newBuilder().setData(ByteString.copyFrom(f.data())).build());
            case 15 -> a.setGuestDateTime(SetGuestDateTimeRequest.newBuilder().setSec(f.number()).setUsec(f.small()).build());
            case 16 -> a.getOOMEvent(GetOOMEventRequest.newBuilder().setTimeoutMillis(wait).build());
            default -> a.readStderr(ReadStreamRequest.newBuilder().setContainerId(f.id()).setExecId(f.exec()).setLen(f.small()).build());
        };
    }

    private static List<String> state() throws IOException {
        Path state = tmp.resolve("state");
        if (!Files.exists(state)) return List.of();
        try (Stream<Path> w = Files.walk(state)) {
            return w.map(p -> state.relativize(p).toString()).sorted().toList();
        }
    }
}
