package org.vcj.shim.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.vcj.shim.proto.TaskProto;

/** One service for many tasks: it ends only once it has had no task for the idle timeout; Shutdown ends only its caller's. */
class ServiceLifetimeTest {
    private final TaskRegistry tasks = new TaskRegistry();

    private static ShimContainer task(String id) {
        return new ShimContainer(id, "default", id, true, Path.of("/nonexistent"), new ShimProcess(id, "", "", "", "", false, null));
    }

    @Test
    void theServiceEndsAfterTheIdleTimeoutWithoutATaskAndNotBefore() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        tasks.add(task("a"));
        try (ServiceLifetime life = new ServiceLifetime(tasks, null, Duration.ofMillis(300), stopped::countDown)) {
            assertFalse(stopped.await(700, TimeUnit.MILLISECONDS), "a service with a task stays");
            long removed = System.nanoTime();
            tasks.remove("a");
            assertTrue(stopped.await(5, TimeUnit.SECONDS), "an idle service ends");
            assertTrue(System.nanoTime() - removed >= TimeUnit.MILLISECONDS.toNanos(300), "not before the idle timeout");
        }
    }

    @Test
    void shutdownOfOneTaskLeavesTheOthersAndTheService() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        tasks.add(task("a"));
        tasks.add(task("b"));
        try (ServiceLifetime life = new ServiceLifetime(tasks, null, Duration.ofMillis(100), stopped::countDown)) {
            life.shutdown(TaskProto.ShutdownRequest.newBuilder().setId("a").build());
            tasks.remove("a"); // containerd deletes a task before its Shutdown
            assertFalse(stopped.await(500, TimeUnit.MILLISECONDS), "b still runs: the service stays");
            assertEquals("b", tasks.task("b").id());
            assertEquals(ProcessHandle.current().pid(), life.connect(TaskProto.ConnectRequest.newBuilder().setId("b").build()).getShimPid(),
                    "every task has the one service's pid");
        }
    }

    @Test
    void aCallLongerThanTheIdleTimeoutKeepsTheServiceBeforeAnyTaskExists() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        try (ServiceLifetime life = new ServiceLifetime(tasks, null, Duration.ofMillis(200), stopped::countDown)) {
            life.begin(); // a Create booting a VM: no task is registered until it ends
            assertFalse(stopped.await(800, TimeUnit.MILLISECONDS), "the service stays while a call runs");
            life.end();
            assertTrue(stopped.await(5, TimeUnit.SECONDS), "and ends once idle after it");
        }
    }
}
