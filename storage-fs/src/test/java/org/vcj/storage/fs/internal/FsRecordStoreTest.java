package org.vcj.storage.fs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.vcj.api.storage.MetadataStorage;
import org.vcj.testing.storage.MetadataStorageContract;

class FsRecordStoreTest extends MetadataStorageContract {
    @Override
    protected MetadataStorage open(Path root) {
        return new FsRecordStore(root);
    }

    @Test
    void layoutAndPermissions() throws Exception {
        storage.save("sandbox/sb1", "v".getBytes(StandardCharsets.UTF_8));
        Path file = root.resolve("meta/sandbox/sb1");
        assertEquals("v", Files.readString(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        try (var held = storage.lock("sandbox/sb1", java.time.Duration.ZERO)) {
            assertTrue(Files.exists(root.resolve("locks/sandbox/sb1.lock")), "the lock file exists while held");
        }
        assertFalse(Files.exists(root.resolve("locks/sandbox/sb1.lock")), "a released lock leaves no file");
    }

    @Test
    void crashLeftoversAreIgnoredAndStaleOnesCleaned() throws Exception {
        storage.save("sandbox/sb1", "good".getBytes(StandardCharsets.UTF_8));
        Path dir = root.resolve("meta/sandbox");
        Path fresh = Files.writeString(dir.resolve(".sb1.tmp-1234"), "half");
        Path stale = Files.writeString(dir.resolve(".sb2.tmp-5678"), "half");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minusSeconds(3600)));
        assertEquals(List.of("sandbox/sb1"), storage.keys(""));
        assertEquals("good", new String(storage.load("sandbox/sb1").orElseThrow(), StandardCharsets.UTF_8));
        assertFalse(Files.exists(stale), "stale temp file removed");
        assertTrue(Files.exists(fresh), "a recent temp file may belong to a running writer");
    }

    @Test
    void aTempFileOfAKilledWriterIsRemovedAtOnceOneOfALiveWriterStays() throws Exception {
        storage.save("sandbox/sb1", "good".getBytes(StandardCharsets.UTF_8));
        Path dir = root.resolve("meta/sandbox");
        Process writer = new ProcessBuilder("sleep", "60").start();
        long pid = writer.pid();
        Path live = Files.writeString(dir.resolve(".sb2.tmp-" + pid + "-1a2b"), "half");
        assertEquals(List.of("sandbox/sb1"), storage.keys(""));
        assertTrue(Files.exists(live), "its writer still runs");
        writer.destroyForcibly().waitFor();
        assertEquals(List.of("sandbox/sb1"), storage.keys(""));
        assertFalse(Files.exists(live), "its writer was killed: nobody will rename it");
    }

    @Test
    void deleteRemovesEmptyDirectories() {
        storage.save("sandbox/sb1", new byte[] {1});
        storage.delete("sandbox/sb1");
        assertFalse(Files.exists(root.resolve("meta/sandbox")));
    }

    /**
     * Two runtimes (two stores on one root) each save and delete their own sandbox's record at once. A delete removes
     * the shared directory once it is empty; the other's save or delete must neither fail nor lose its record (CI saw
     * "cannot delete .../meta/sandbox/p3: NoSuchFileException: .../meta/sandbox").
     */
    @Test
    void savesAndDeletesOfSiblingKeysInTwoRuntimesNeverFail() throws Exception {
        MetadataStorage other = open(root);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> runs = List.of(
                    pool.submit(() -> churn(storage, "sandbox/a")), pool.submit(() -> churn(other, "sandbox/b")));
            for (Future<Integer> run : runs) {
                assertEquals(2000, run.get(2, TimeUnit.MINUTES));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of(), storage.keys(""));
        assertFalse(Files.exists(root.resolve("meta/sandbox")));
    }

    private static int churn(MetadataStorage store, String key) {
        int rounds = 0;
        for (; rounds < 2000; rounds++) {
            store.save(key, new byte[] {(byte) rounds});
            assertEquals((byte) rounds, store.load(key).orElseThrow()[0], key + " was saved");
            store.delete(key);
            assertTrue(store.load(key).isEmpty(), key + " was deleted");
        }
        return rounds;
    }
}
