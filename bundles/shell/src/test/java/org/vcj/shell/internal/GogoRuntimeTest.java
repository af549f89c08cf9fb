package org.vcj.shell.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vcj.api.ContainerState;
import org.vcj.api.SandboxState;

/** The vc:* commands inside a real Gogo runtime (no OSGi): streams, failures, descriptors. */
@Timeout(30)
class GogoRuntimeTest {
    final FakeVc vc = new FakeVc();
    final ThreadIOImpl tio = new ThreadIOImpl();
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    CommandSession session;

    @BeforeEach
    void setUp() {
        tio.start();
        CommandProcessorImpl proc = new CommandProcessorImpl(tio);
        GogoCommands gogo = new GogoCommands(new VerbDispatcher(vc, Map.of("vcj.rootfs", "/opt/rootfs")::get,
                (n, a) -> () -> { }));
        for (String f : new String[] {"run", "list", "status", "exec", "ps", "kill", "pause", "resume", "stats", "update", "device", "stop",
                "delete", "cleanup"}) {
            proc.addCommand("vc", gogo, f);
        }
        session = proc.createSession(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true), new PrintStream(err, true));
    }

    @AfterEach
    void tearDown() {
        session.close();
        tio.stop();
    }

    @Test
    void successPrintsOnTheSessionAndReturnsNothing() throws Exception {
        vc.addSandbox("sb1", SandboxState.RUNNING, "mock", null, FakeVc.container("sb1", ContainerState.RUNNING, 1, null));
        assertNull(session.execute("vc:list"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("ID   STATE    HYPERVISOR  CONTAINERS  CREATED\nsb1  running"),
                out.toString(StandardCharsets.UTF_8));
        assertEquals(0, session.get("vcj.status"));
    }

    @Test
    void failureThrowsAndSetsTheStatus() {
        CommandFailedException e = assertThrows(CommandFailedException.class, () -> session.execute("vc:status nope"));
        assertEquals(1, e.status());
        assertEquals(1, session.get("vcj.status"));
        assertEquals("vcj: sandbox 'nope' not found: list sandboxes with: vcj list\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void runInAPipeRelaysItsInputAndExitCode() throws Exception {
        vc.exitCode = 5;
        assertThrows(CommandFailedException.class, () -> session.execute("'piped' | vc:run --hypervisor=mock --id=g1 -- cat"));
        assertEquals("piped\n", out.toString(StandardCharsets.UTF_8));
        assertEquals(5, session.get("vcj.status"));
        assertTrue(vc.calls.contains("deleteSandbox g1"), vc.calls.toString());
        vc.exitCode = 0;
        assertNull(session.execute("vc:run --hypervisor=mock --id=g2 --detach -- sleep 1"));
        assertTrue(out.toString(StandardCharsets.UTF_8).endsWith("g2\n"));
    }

    @Test
    void descriptorsCarryTheUsage() throws Exception {
        Method run = GogoCommands.class.getMethod("run", String[].class);
        assertEquals(RunVerb.USAGE, run.getAnnotation(Descriptor.class).value());
        for (Method m : GogoCommands.class.getDeclaredMethods()) {
            if (java.lang.reflect.Modifier.isPublic(m.getModifiers())) assertNotNull(m.getAnnotation(Descriptor.class), m.getName());
        }
    }
}
