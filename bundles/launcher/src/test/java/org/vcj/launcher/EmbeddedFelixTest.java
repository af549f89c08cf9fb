package org.vcj.launcher;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedFelixTest {

    @TempDir Path tmp;

    @Test
    void cachesOfDeadLaunchersAreRemovedAndLiveOnesKept() throws Exception {
        java.lang.Process done = new ProcessBuilder("true").start();
        done.waitFor();
        Path dead = Files.createDirectories(tmp.resolve("vcj-felix-" + done.pid() + "-123/bundle0"));
        Path live = Files.createDirectories(tmp.resolve("vcj-felix-" + ProcessHandle.current().pid() + "-456/bundle0"));
        Path other = Files.createDirectories(tmp.resolve("vcj-felix-notapid"));
        EmbeddedFelix.removeCachesOfDeadLaunchers(tmp);
        assertFalse(Files.exists(dead.getParent()));
        assertTrue(Files.exists(live));
        assertTrue(Files.exists(other));
    }

    @Test
    void launchersRemovingTheSameDeadCacheAtOnceDoNotFail() throws Exception {
        java.lang.Process done = new ProcessBuilder("true").start();
        done.waitFor();
        for (int round = 0; round < 20; round++) {
            for (int c = 0; c < 5; c++) {
                for (int b = 0; b < 20; b++) {
                    Files.createDirectories(tmp.resolve("vcj-felix-" + done.pid() + "-" + c + "/bundle" + b + "/version0.0"));
                }
            }
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            java.util.List<java.util.concurrent.Future<?>> runs = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) runs.add(pool.submit(() -> EmbeddedFelix.removeCachesOfDeadLaunchers(tmp)));
            for (java.util.concurrent.Future<?> f : runs) f.get(30, java.util.concurrent.TimeUnit.SECONDS);  // none threw
            pool.shutdown();
            try (java.util.stream.Stream<Path> left = Files.list(tmp)) {
                assertFalse(left.anyMatch(p -> p.getFileName().toString().startsWith("vcj-felix-" + done.pid())));
            }
        }
    }
}
