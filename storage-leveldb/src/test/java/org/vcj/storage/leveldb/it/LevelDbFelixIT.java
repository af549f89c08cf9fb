package org.vcj.storage.leveldb.it;

import org.vcj.testing.FelixHarness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The built bundles in Felix: leveldbjni's native library loads, the leveldb and fs storages work side by side. */
class LevelDbFelixIT {
    private static final String STORAGE = "org.vcj.api.storage.MetadataStorage";
    private static final String LOCK = "org.vcj.api.storage.MetadataLock";

    @Test
    @Timeout(120)
    void leveldbStorageWorksInFelix(@TempDir Path tmp) throws Throwable {
        Path root = tmp.resolve("root");
        List<String> jars = List.of("it.jar.osgi.service.component", "it.jar.osgi.util.function", "it.jar.osgi.util.promise",
                "it.jar.scr", "it.jar.api", "it.jar.leveldbjni", "it.jar.bundle",
                "it.jar.storage.fs");
        try (FelixHarness felix = FelixHarness.start(tmp.resolve("cache"), Map.of("vcj.root", root.toString()), jars)) {
            Object storage = felix.service(STORAGE, "(vcj.storage=leveldb)", Duration.ofSeconds(20));
            byte[] value = "{\"id\":\"sb1\"}".getBytes(StandardCharsets.UTF_8);
            felix.call(storage, STORAGE, "save", new Class<?>[] {String.class, byte[].class}, "sandbox/sb1", value);
            Optional<?> loaded = (Optional<?>) felix.call(storage, STORAGE, "load", new Class<?>[] {String.class}, "sandbox/sb1");
            assertArrayEquals(value, (byte[]) loaded.orElseThrow());
            assertEquals(List.of("sandbox/sb1"), felix.call(storage, STORAGE, "keys", new Class<?>[] {String.class}, "sandbox/"));
            Object lock = felix.call(storage, STORAGE, "lock", new Class<?>[] {String.class, Duration.class},
                    "sandbox/sb1", Duration.ofSeconds(1));
            assertTrue(Files.exists(root.resolve("locks/sandbox/sb1.lock")), "the lock file exists while held");
            felix.call(lock, LOCK, "close", new Class<?>[0]);
            assertFalse(Files.exists(root.resolve("locks/sandbox/sb1.lock")), "a released lock leaves no file");
            Throwable bad = assertThrows(Throwable.class,
                    () -> felix.call(storage, STORAGE, "load", new Class<?>[] {String.class}, "../etc"));
            assertEquals("org.vcj.api.StorageException", bad.getClass().getName(), String.valueOf(bad));
            assertTrue(Files.exists(root.resolve("leveldb/CURRENT")), "the DB lives under <vcj.root>/leveldb");

            // the fs storage bundle beside it, on the same root: its own records, the same lock files
            Object fs = felix.service(STORAGE, "(vcj.storage=fs)", Duration.ofSeconds(20));
            felix.call(fs, STORAGE, "save", new Class<?>[] {String.class, byte[].class}, "sandbox/sb2", value);
            assertArrayEquals(value, Files.readAllBytes(root.resolve("meta/sandbox/sb2")));
            Object held = felix.call(storage, STORAGE, "lock", new Class<?>[] {String.class, Duration.class},
                    "sandbox/sb2", Duration.ofSeconds(1));
            Throwable busy = assertThrows(Throwable.class, () -> felix.call(fs, STORAGE, "lock",
                    new Class<?>[] {String.class, Duration.class}, "sandbox/sb2", Duration.ofMillis(200)));
            assertEquals("org.vcj.api.StorageException", busy.getClass().getName(), String.valueOf(busy));
            felix.call(held, LOCK, "close", new Class<?>[0]);
        }
    }
}
