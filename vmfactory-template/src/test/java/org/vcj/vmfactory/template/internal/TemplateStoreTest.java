package org.vcj.vmfactory.template.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vcj.api.HypervisorException;
import org.vcj.api.factory.FactoryStatus;

/** The template store on a real file system with real processes standing in for a build's QEMU. */
@Timeout(60)
class TemplateStoreTest {

    @TempDir Path dir;

    private static void fakeBuild(Path build) throws IOException {
        Files.writeString(build.resolve(TemplateStore.MEMORY), "ram");
        Files.writeString(build.resolve(TemplateStore.STATE), "devices");
    }

    private static Properties info() {
        Properties p = new Properties();
        p.setProperty("hypervisor", "qemu");
        p.setProperty("vcpus", "2");
        p.setProperty("memory", "512");
        p.setProperty("machine", "default");
        return p;
    }

    /** Starts the process and waits until its command line is the one given (not still the JVM's spawn helper); a {@code tail -f} of a file in a build directory stands in for its QEMU. */
    private static Process started(ProcessBuilder pb) throws Exception {
        Process p = pb.start();
        Path cmdline = Path.of("/proc", Long.toString(p.pid()), "cmdline");
        for (int i = 0; i < 200 && !Files.readString(cmdline).startsWith("tail"); i++) Thread.sleep(10);
        return p;
    }

    @Test
    void keysDependOnTheHypervisorAndTheConfiguration() {
        assertEquals(TemplateStore.key("qemu", "a"), TemplateStore.key("qemu", "a"));
        assertNotEquals(TemplateStore.key("qemu", "a"), TemplateStore.key("qemu", "b"));
        assertNotEquals(TemplateStore.key("qemu", "a"), TemplateStore.key("other", "a"));
        assertTrue(TemplateStore.key("qemu", "a").matches("[0-9a-f]{16}"));
    }

    @Test
    void aTemplateIsPublishedWholeAndBuiltOnceByConcurrentCallers() throws Exception {
        TemplateStore store = new TemplateStore(dir);
        AtomicInteger builds = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Path>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                results.add(pool.submit(() -> store.ensure("k1", info(), build -> {
                    builds.incrementAndGet();
                    java.util.concurrent.locks.LockSupport.parkNanos(300_000_000L);
                    fakeBuild(build);
                })));
            }
            for (Future<Path> f : results) assertEquals(dir.resolve("k1"), f.get(30, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, builds.get(), "one template, not four");
        assertEquals("ram", Files.readString(dir.resolve("k1/memory")));
        List<FactoryStatus> st = store.status();
        assertEquals(1, st.size());
        assertEquals("ready", st.get(0).state());
        assertEquals("k1", st.get(0).name());
        assertTrue(st.get(0).detail().contains("2 vCPUs, 512 MiB"), st.get(0).detail());
    }

    @Test
    void aKilledBuildIsNeverUsedAndTheNextBuildRemovesItAndItsProcess() throws Exception {
        Path leftover = dir.resolve(".build-k2-99999");
        Files.createDirectories(leftover.resolve("run"));
        Files.writeString(leftover.resolve(TemplateStore.MEMORY), "half");
        Files.writeString(leftover.resolve("run/console.log"), "booting");
        Process qemu = started(new ProcessBuilder("tail", "-f", leftover.resolve("run/console.log").toString()));
        TemplateStore store = new TemplateStore(dir);
        assertFalse(store.ready("k2"));
        assertEquals("building", store.status().get(0).state());
        assertEquals(1, store.status().get(0).vmsRunning());

        store.ensure("k2", info(), TemplateStoreTest::fakeBuild);
        assertTrue(qemu.waitFor(10, TimeUnit.SECONDS), "the killed build's process was stopped");
        assertFalse(Files.exists(leftover));
        assertEquals("ram", Files.readString(dir.resolve("k2/memory")));
    }

    @Test
    void aFailedBuildLeavesNothingAndTheErrorSaysWhy() throws Exception {
        TemplateStore store = new TemplateStore(dir);
        HypervisorException e = assertThrows(HypervisorException.class, () -> store.ensure("k3", info(), build -> {
            fakeBuild(build);
            throw new HypervisorException("template-k3", "startVM", "QEMU did not start", null);
        }));
        assertTrue(e.getMessage().contains("QEMU did not start"));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(".lock"), s.map(p -> p.getFileName().toString()).toList(), "no build directory left");
        }
        assertEquals(List.of(), store.status());
    }

    @Test
    void destroyRemovesEveryFileAndTheProcessesOfUnfinishedBuilds() throws Exception {
        TemplateStore store = new TemplateStore(dir.resolve("template"));
        store.ensure("k4", info(), TemplateStoreTest::fakeBuild);
        Path leftover = dir.resolve("template/.build-k5-1");
        Files.createDirectories(leftover);
        Files.writeString(leftover.resolve("console.log"), "booting");
        Process qemu = started(new ProcessBuilder("tail", "-f", leftover.resolve("console.log").toString()));
        List<FactoryStatus> removed = store.destroy();
        assertEquals(List.of("building", "ready"), removed.stream().map(FactoryStatus::state).toList());
        assertTrue(qemu.waitFor(10, TimeUnit.SECONDS));
        assertFalse(Files.exists(dir.resolve("template")), "not even the lock file is left");
        assertEquals(List.of(), store.destroy(), "destroying nothing is fine");
        store.ensure("k4", info(), TemplateStoreTest::fakeBuild);
        assertTrue(store.ready("k4"), "a store can be used again after destroy");
    }
}
