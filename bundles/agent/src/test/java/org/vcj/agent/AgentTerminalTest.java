package org.vcj.agent;

import static org.junit.jupiter.api.Assertions.*;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

/**
 * Terminals end to end: the agent in-process gets the pty master from real runc over --console-socket,
 * relays it, resizes it and reports the exit status (needs root).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AgentTerminalTest {
    @TempDir
    static Path tmp;
    static Path rootfs;
    static RuncAgentSandbox agent;
    static AgentTestClient client;

    @BeforeAll
    static void startAgent() throws Exception {
        rootfs = BusyboxRootfs.build(tmp.resolve("rootfs"));
        agent = RuncAgentSandbox.start(tmp, "sbtty" + ProcessHandle.current().pid(), "vcjtty");
        client = agent.client();
    }

    @AfterAll
    static void stop() throws Exception {
        if (agent != null) {
            agent.close();
        }
    }

    static Cmd tty(String script) {
        return Cmd.newBuilder().addAllArgs(List.of("sh", "-c", script)).setTerminal(true).build();
    }

    static void resize(String cid, String exec, int rows, int cols) {
        client.agent().ttyWinResize(TtyWinResizeRequest.newBuilder().setContainerId(cid).setExecId(exec)
                .setRow(rows).setColumn(cols).build());
    }

    static void type(String cid, String exec, String text) {
        client.agent().writeStdin(WriteStreamRequest.newBuilder().setContainerId(cid).setExecId(exec)
                .setData(ByteString.copyFromUtf8(text)).build());
    }

    static int waitFor(String cid, String exec) {
        WaitProcessResponse w = client.agent().waitProcess(WaitProcessRequest.newBuilder().setContainerId(cid)
                .setExecId(exec).setTimeoutMillis(10_000).build());
        assertTrue(w.getExited(), "process " + exec + " of " + cid + " still runs after 10 s");
        return w.getStatus();
    }

    @Test
    void mainProcessGetsATerminalThatResizes() {
        client.agent().createContainer(CreateContainerRequest.newBuilder().setContainerId("t-main")
                .setRootfs(rootfs.toString()).setCmd(tty("read x; tty; stty size; echo TERM=$TERM got-$x; exit 4")).build());
        ProcessInfo pi = client.agent().startContainer(StartContainerRequest.newBuilder().setContainerId("t-main").build());
        assertTrue(pi.getPid() > 0);
        resize("t-main", "", 33, 101);
        type("t-main", "", "hello\r");
        String out = client.readAllStdout("t-main", "", 10_000);
        assertTrue(out.contains("hello\r\n"), "the terminal echoes what is typed, got: " + out);
        assertTrue(out.contains("/dev/pts/"), "tty names a pty, got: " + out);
        assertTrue(out.contains("33 101\r\n"), "stty size shows the resized window, got: " + out);
        assertTrue(out.contains("TERM=xterm got-hello\r\n"), out);
        assertEquals(4, waitFor("t-main", ""));
        ReadStreamResponse err = client.agent().readStderr(ReadStreamRequest.newBuilder().setContainerId("t-main").build());
        assertTrue(err.getEof() && err.getData().isEmpty(), "a terminal has no separate stderr");
        client.agent().removeContainer(RemoveContainerRequest.newBuilder().setContainerId("t-main").build());
        assertFalse(Files.exists(tmp.resolve("state/bundles/t-main")));
    }

    @Test
    void closingStdinOfATerminalEndsInput() {
        client.agent().createContainer(CreateContainerRequest.newBuilder().setContainerId("t-cat")
                .setRootfs(rootfs.toString()).setCmd(tty("cat; echo cat-ended")).build());
        client.agent().startContainer(StartContainerRequest.newBuilder().setContainerId("t-cat").build());
        type("t-cat", "", "abc\n");
        client.agent().closeStdin(CloseStdinRequest.newBuilder().setContainerId("t-cat").build());
        String out = client.readAllStdout("t-cat", "", 10_000);
        assertTrue(out.contains("abc\r\n") && out.contains("cat-ended\r\n"), "cat read abc, then end of input: " + out);
        assertEquals(0, waitFor("t-cat", ""));
        client.agent().removeContainer(RemoveContainerRequest.newBuilder().setContainerId("t-cat").build());
    }

    @Test
    void execGetsATerminalAndSignalsAreReported() {
        client.agent().createContainer(CreateContainerRequest.newBuilder().setContainerId("t-exec")
                .setRootfs(rootfs.toString()).setCmd(Cmd.newBuilder().addAllArgs(List.of("sleep", "60"))).build());
        client.agent().startContainer(StartContainerRequest.newBuilder().setContainerId("t-exec").build());
        StatusRuntimeException noTty = assertThrows(StatusRuntimeException.class, () -> resize("t-exec", "", 10, 10));
        assertEquals(Status.Code.FAILED_PRECONDITION, noTty.getStatus().getCode());
        assertTrue(noTty.getStatus().getDescription().contains("no terminal"), noTty.getStatus().getDescription());

        client.agent().execProcess(ExecProcessRequest.newBuilder().setContainerId("t-exec").setExecId("e1")
                .setCmd(tty("stty size; tty; exit 0")).build());
        String out = client.readAllStdout("t-exec", "e1", 10_000);
        assertTrue(out.contains("/dev/pts/"), out);
        assertEquals(0, waitFor("t-exec", "e1"));

        client.agent().execProcess(ExecProcessRequest.newBuilder().setContainerId("t-exec").setExecId("e2")
                .setCmd(tty("echo ready; sleep 60")).build());
        StatusRuntimeException bad = assertThrows(StatusRuntimeException.class, () -> resize("t-exec", "e2", 0, 80));
        assertEquals(Status.Code.INVALID_ARGUMENT, bad.getStatus().getCode());
        client.agent().signalProcess(SignalProcessRequest.newBuilder().setContainerId("t-exec").setExecId("e2").setSignal(9).build());
        assertEquals(137, waitFor("t-exec", "e2"));
        client.agent().removeContainer(RemoveContainerRequest.newBuilder().setContainerId("t-exec").build());
    }
}
