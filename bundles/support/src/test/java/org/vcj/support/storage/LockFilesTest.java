package org.vcj.support.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vcj.api.StorageException;
import org.vcj.api.storage.MetadataLock;

/** Lock files exist only while held, also when holders are killed, and the locks stay exclusive across processes. */
class LockFilesTest {
    private static final Duration LIMIT = Duration.ofSeconds(90);

    @TempDir
    Path root;

    private Path locks() {
        return root.resolve("locks");
    }

    private List<Path> lockFiles() throws Exception {
        if (!Files.isDirectory(locks())) return List.of();
        try (Stream<Path> walk = Files.walk(locks())) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void aReleasedLockLeavesNoFileAndCanBeTakenAgain() throws Exception {
        LockFiles lf = new LockFiles(locks());
        for (int i = 0; i < 3; i++) {
            try (MetadataLock l = lf.lock("sandbox/a", Duration.ZERO)) {
                assertEquals(List.of(locks().resolve("sandbox/a.lock")), lockFiles());
            }
            assertEquals(List.of(), lockFiles(), "round " + i);
        }
    }

    @Test
    void aFileLeftByAKilledHolderIsSweptAndItsLockIsFree() throws Exception {
        assertTimeoutPreemptively(LIMIT, () -> {
            Process child = child("hold", "sandbox/k", "60000");
            try {
                assertEquals("locked", new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)).readLine());
                LockFiles lf = new LockFiles(locks());
                assertEquals(0, lf.sweep(), "a lock another process holds is not swept");
                assertThrows(StorageException.class, () -> lf.lock("sandbox/k", Duration.ofMillis(100)));
                child.destroyForcibly(); // SIGKILL: the holder cannot remove its file
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
                assertEquals(List.of(locks().resolve("sandbox/k.lock")), lockFiles(), "the killed holder left its file");
                assertEquals(1, lf.sweep());
                assertEquals(List.of(), lockFiles());
                lf.lock("sandbox/k", Duration.ZERO).close();
                assertEquals(List.of(), lockFiles());
            } finally {
                child.destroyForcibly();
            }
        });
    }

    @Test
    void sweepLeavesALockHeldInThisProcessAlone() throws Exception {
        LockFiles lf = new LockFiles(locks());
        try (MetadataLock held = lf.lock("sandbox/h", Duration.ZERO)) {
            assertEquals(0, new LockFiles(locks()).sweep());
            assertTrue(Files.exists(locks().resolve("sandbox/h.lock")));
            assertThrows(StorageException.class, () -> lf.lock("sandbox/h", Duration.ofMillis(50)), "still exclusive after a sweep");
        }
        assertEquals(List.of(), lockFiles());
    }

    @Test
    void aRetiredFileAHolderDidNotUnlinkIsTakenOver() throws Exception {
        // What a holder killed between retiring (its token written) and unlinking leaves behind.
        Files.createDirectories(locks().resolve("sandbox"));
        Files.writeString(locks().resolve("sandbox/r.lock"), java.util.UUID.randomUUID().toString());
        LockFiles lf = new LockFiles(locks());
        try (MetadataLock l = lf.lock("sandbox/r", Duration.ofSeconds(5))) {
            assertEquals(0, Files.size(locks().resolve("sandbox/r.lock")), "a fresh, valid lock file");
        }
        assertEquals(List.of(), lockFiles());
    }

    @Test
    void countersStayExactWhileProcessesCreateAndRemoveTheLockFile() throws Exception {
        assertTimeoutPreemptively(LIMIT, () -> {
            Path counter = Files.writeString(root.resolve("counter"), "0");
            int processes = 3;
            int rounds = 150;
            List<Process> children = new ArrayList<>();
            try {
                for (int i = 0; i < processes; i++) children.add(child("count", "counter/c", Integer.toString(rounds), counter.toString()));
                LockFiles lf = new LockFiles(locks());
                while (children.stream().anyMatch(Process::isAlive)) lf.sweep(); // sweeps race with the holders
                for (Process p : children) {
                    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
                    assertEquals(0, p.exitValue());
                }
            } finally {
                children.forEach(Process::destroyForcibly);
            }
            assertEquals(Integer.toString(processes * rounds), Files.readString(counter), "no increment lost: the lock stayed exclusive");
            assertEquals(List.of(), lockFiles());
        });
    }

    private Process child(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LockFilesChild.class.getName(), locks().toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}
