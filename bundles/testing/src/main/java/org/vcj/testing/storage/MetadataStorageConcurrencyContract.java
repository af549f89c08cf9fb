package org.vcj.testing.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vcj.api.StorageException;
import org.vcj.api.storage.MetadataLock;
import org.vcj.api.storage.MetadataStorage;

/**
 * What every {@link MetadataStorage} must do under concurrent use (threads and processes), and the set-up every
 * contract test shares: a fresh root per test and {@link #open(Path)}. Extended by {@link MetadataStorageContract}.
 */
public abstract class MetadataStorageConcurrencyContract {
    /** How many reads {@link #concurrentWritersNeverCorrupt()} checks while the writers run, at least. */
    protected static final int MIN_OVERLAPPING_READS = 20;

    static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir
    protected Path root;
    protected MetadataStorage storage;

    /** A storage on {@code root}; called once or more per test (several instances = several users of one root). */
    protected abstract MetadataStorage open(Path root);

    @BeforeEach
    void setUp() {
        storage = open(root);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void lockIsExclusiveAcrossThreadsAndTimesOut() throws Exception {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (MetadataLock held = storage.lock("sandbox/sb1", Duration.ofSeconds(5))) {
                ExecutorService other = Executors.newSingleThreadExecutor();
                try {
                    long start = System.nanoTime();
                    Future<StorageException> attempt = other.submit(() ->
                            assertThrows(StorageException.class, () -> open(root).lock("sandbox/sb1", Duration.ofMillis(300))));
                    StorageException e = attempt.get(30, TimeUnit.SECONDS);
                    long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    assertTrue(waitedMillis >= 250, "waited " + waitedMillis + " ms");
                    assertEquals("sandbox/sb1", e.key());
                    assertEquals("lock", e.operation());
                    assertTrue(e.getMessage().contains("retry"), e.getMessage());
                    try (MetadataLock unrelated = open(root).lock("sandbox/sb2", Duration.ZERO)) {
                        assertTrue(unrelated != null, "another key is not blocked");
                    }
                } finally {
                    other.shutdownNow();
                }
            }
            try (MetadataLock again = open(root).lock("sandbox/sb1", Duration.ZERO)) {
                assertTrue(again != null, "released lock can be taken again");
            }
        });
    }

    @Test
    void lockWaitsForRelease() throws Exception {
        assertTimeoutPreemptively(LIMIT, () -> {
            MetadataLock first = storage.lock("sandbox/w", Duration.ofSeconds(1));
            CountDownLatch started = new CountDownLatch(1);
            ExecutorService other = Executors.newSingleThreadExecutor();
            try {
                Future<Long> waited = other.submit(() -> {
                    started.countDown();
                    long t = System.nanoTime();
                    try (MetadataLock l = storage.lock("sandbox/w", Duration.ofSeconds(20))) {
                        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t);
                    }
                });
                started.await();
                Thread.sleep(300);
                first.close();
                first.close(); // idempotent
                long ms = waited.get(30, TimeUnit.SECONDS);
                assertTrue(ms >= 200 && ms < 15_000, "waited " + ms + " ms");
            } finally {
                other.shutdownNow();
            }
        });
    }

    @Test
    void lockedCountersNeverLoseUpdates() throws Exception {
        assertTimeoutPreemptively(LIMIT, () -> {
            int threads = 4;
            int rounds = 25;
            storage.save("counter/c", utf8("0"));
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    MetadataStorage mine = open(root);
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < rounds; i++) {
                            try (MetadataLock l = mine.lock("counter/c", Duration.ofSeconds(20))) {
                                int v = Integer.parseInt(new String(mine.load("counter/c").orElseThrow(), StandardCharsets.UTF_8));
                                mine.save("counter/c", utf8(Integer.toString(v + 1)));
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(50, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(Integer.toString(threads * rounds), new String(storage.load("counter/c").orElseThrow(), StandardCharsets.UTF_8));
        });
    }

    /**
     * Readers never see a torn record while several writers replace it: the reader runs before the first write and
     * the writers go on until it has read the record at least {@value #MIN_OVERLAPPING_READS} times, so the reads
     * checked did overlap the writes.
     */
    @Test
    void concurrentWritersNeverCorrupt() throws Exception {
        assertTimeoutPreemptively(LIMIT, () -> {
            int writers = 4;
            int size = 256 * 1024;
            ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
            AtomicInteger reads = new AtomicInteger();
            AtomicInteger readsDuringWrites = new AtomicInteger();
            CountDownLatch reading = new CountDownLatch(1);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    byte fill = (byte) ('A' + w);
                    MetadataStorage mine = open(root);
                    done.add(pool.submit(() -> {
                        byte[] value = new byte[size];
                        java.util.Arrays.fill(value, fill);
                        reading.await();
                        for (int i = 0; i < 15 || (readsDuringWrites.get() < MIN_OVERLAPPING_READS && i < 5_000); i++) {
                            mine.save("sandbox/shared", value);
                        }
                        return null;
                    }));
                }
                Future<?> reader = pool.submit(() -> {
                    MetadataStorage mine = open(root);
                    reading.countDown();
                    while (done.stream().anyMatch(f -> !f.isDone())) {
                        mine.load("sandbox/shared").ifPresent(v -> {
                            reads.incrementAndGet();
                            assertUniform(v, size);
                            if (done.stream().anyMatch(f -> !f.isDone())) readsDuringWrites.incrementAndGet();
                        });
                    }
                    return null;
                });
                for (Future<?> f : done) {
                    f.get(50, TimeUnit.SECONDS);
                }
                reader.get(50, TimeUnit.SECONDS);
            } finally {
                pool.shutdownNow();
            }
            assertTrue(readsDuringWrites.get() >= MIN_OVERLAPPING_READS, "only " + readsDuringWrites.get()
                    + " of " + reads.get() + " reads overlapped the writes: the check saw too little");
            assertUniform(storage.load("sandbox/shared").orElseThrow(), size);
            assertEquals(List.of("sandbox/shared"), storage.keys(""));
        });
    }

    /** Starts {@link StorageChild} in another JVM on the same root. */
    private java.lang.Process child(String... args) throws java.io.IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), StorageChild.class.getName(), getClass().getName(), root.toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    @Test
    void lockIsExclusiveAcrossProcesses() throws Exception {
        assertTimeoutPreemptively(LIMIT, () -> {
            java.lang.Process p = child("hold", "sandbox/x", "2000");
            try {
                java.io.BufferedReader out = new java.io.BufferedReader(
                        new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                assertEquals("locked", out.readLine());
                StorageException e = assertThrows(StorageException.class, () -> storage.lock("sandbox/x", Duration.ofMillis(200)));
                assertEquals("sandbox/x", e.key());
                try (MetadataLock l = storage.lock("sandbox/x", Duration.ofSeconds(30))) {
                    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the child released the lock and exited");
                }
                assertEquals(0, p.exitValue());
            } finally {
                p.destroyForcibly();
            }
        });
    }

    @Test
    void twoProcessesWriteAtOnce() throws Exception {
        assertTimeoutPreemptively(LIMIT, () -> {
            java.lang.Process p = child("save", "proc/child", "100");
            int saved = 0;
            try {
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(50);
                while ((p.isAlive() || saved < 5) && System.nanoTime() < until) {
                    storage.save("proc/parent", utf8("parent-" + saved++));
                    storage.load("proc/child");
                }
                assertTrue(p.waitFor(5, TimeUnit.SECONDS));
                assertEquals(0, p.exitValue());
            } finally {
                p.destroyForcibly();
            }
            assertEquals("parent-" + (saved - 1), new String(storage.load("proc/parent").orElseThrow(), StandardCharsets.UTF_8));
            assertEquals("child-99", new String(storage.load("proc/child").orElseThrow(), StandardCharsets.UTF_8));
        });
    }

    private static void assertUniform(byte[] v, int size) {
        if (v.length != size) {
            fail("torn record: " + v.length + " bytes instead of " + size);
        }
        for (byte b : v) {
            if (b != v[0]) {
                fail("torn record: mixes " + (char) v[0] + " and " + (char) b);
            }
        }
    }
}
