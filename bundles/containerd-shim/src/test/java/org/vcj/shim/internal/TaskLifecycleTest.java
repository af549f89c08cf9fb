package org.vcj.shim.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import org.vcj.api.AgentException;
import org.vcj.api.VC;
import org.vcj.api.VCSandbox;
import org.vcj.shim.proto.TaskProto;

/** Kill right after an exit, as containerd's StopPodSandbox does it: NotFound, never the agent's error. */
class TaskLifecycleTest {
    private final TaskRegistry tasks = new TaskRegistry();
    private final ShimProcess init = new ShimProcess("c1", "", "", "", "", false, null);
    /** What the sandbox's killContainer does. */
    private final AtomicReference<Runnable> onKill = new AtomicReference<>(() -> { });
    private int kills;

    private TaskLifecycle lifecycle() {
        VCSandbox sandbox = (VCSandbox) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {VCSandbox.class},
                (proxy, m, args) -> switch (m.getName()) {
                    case "killContainer", "signalProcess" -> {
                        kills++;
                        onKill.get().run();
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        VC vc = (VC) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {VC.class},
                (proxy, m, args) -> {
                    if (m.getName().equals("fetchSandbox")) return sandbox;
                    throw new UnsupportedOperationException(m.getName());
                });
        EventPublisher events = new EventPublisher("", "");
        tasks.add(new ShimContainer("c1", "default", "c1", true, Path.of("/nonexistent"), init));
        return new TaskLifecycle(vc, tasks, TaskSettings.of(k -> null), events, new ProcessWatcher(vc, events, tasks::sandboxInUse),
                new ProcessIo(vc, tasks));
    }

    private static TaskProto.KillRequest kill() {
        return TaskProto.KillRequest.newBuilder().setId("c1").setSignal(9).build();
    }

    @Test
    void aKillAfterTheRecordedExitIsNotFoundAlreadyFinished() {
        TaskLifecycle l = lifecycle();
        init.started(10, "c1", null);
        init.exited(0, Instant.now());
        TaskException e = assertThrows(TaskException.class, () -> l.kill(kill()));
        assertEquals(TaskException.NOT_FOUND, e.code());
        assertTrue(e.getMessage().contains("already finished"), e.getMessage());
        assertEquals(0, kills, "nothing is signalled");
    }

    @Test
    void aKillThatRacesTheExitIsNotFoundNotTheAgentsError() {
        TaskLifecycle l = lifecycle();
        init.started(10, "c1", null);
        onKill.set(() -> {
            init.exited(137, Instant.now()); // the watcher records the exit while the agent refuses the signal
            throw new AgentException("c1", "SignalProcess", "FAILED_PRECONDITION", "process c1 has already exited", null);
        });
        TaskException e = assertThrows(TaskException.class, () -> l.kill(kill()));
        assertEquals(TaskException.NOT_FOUND, e.code(), e.getMessage());
    }

    @Test
    void aKillThatFailsWhileTheProcessRunsIsTheError() {
        TaskLifecycle l = lifecycle();
        init.started(10, "c1", null);
        AgentException refused = new AgentException("c1", "SignalProcess", "INTERNAL", "agent broken", null);
        onKill.set(() -> {
            throw refused;
        });
        ShimProcess exec = new ShimProcess("c1", "e1", "", "", "", false, null);
        exec.started(11, "tok", null);
        tasks.task("c1").execs().put("e1", exec);
        AgentException e = assertThrows(AgentException.class,
                () -> l.kill(TaskProto.KillRequest.newBuilder().setId("c1").setExecId("e1").setSignal(15).build()));
        assertSame(refused, e);
    }

    @Test
    void aKillOfANeverStartedProcessEndsIt() throws Exception {
        TaskLifecycle l = lifecycle();
        l.kill(kill());
        assertTrue(init.hasExited());
        assertEquals(128 + 9, init.exitStatus());
        assertEquals(0, kills);
        TaskException again = assertThrows(TaskException.class, () -> l.kill(kill()));
        assertEquals(TaskException.NOT_FOUND, again.code());
    }
}
