package org.vcj.testing.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vcj.api.StorageException;
import org.vcj.api.storage.MetadataStorage;

/**
 * The behaviour every {@link MetadataStorage} must show. A plugin's test extends this class and
 * implements {@link #open(Path)}; each test gets a fresh root. Shipped in vcj-testing.
 */
public abstract class MetadataStorageContract extends MetadataStorageConcurrencyContract {
    @Test
    void savedRecordLoadsBack() {
        storage.save("sandbox/sb1", utf8("{\"id\":\"sb1\"}"));
        assertEquals("{\"id\":\"sb1\"}", new String(storage.load("sandbox/sb1").orElseThrow(), StandardCharsets.UTF_8));
        assertEquals("{\"id\":\"sb1\"}", new String(open(root).load("sandbox/sb1").orElseThrow(), StandardCharsets.UTF_8),
                "a second instance on the same root sees the record");
    }

    @Test
    void emptyValueIsARecord() {
        storage.save("sandbox/empty", new byte[0]);
        assertArrayEquals(new byte[0], storage.load("sandbox/empty").orElseThrow());
    }

    @Test
    void saveOverwrites() {
        storage.save("sandbox/sb1", utf8("first, a longer value"));
        storage.save("sandbox/sb1", utf8("second"));
        assertEquals("second", new String(storage.load("sandbox/sb1").orElseThrow(), StandardCharsets.UTF_8));
    }

    @Test
    void missingKeyIsEmpty() {
        assertEquals(Optional.empty(), storage.load("sandbox/nope"));
        assertEquals(Optional.empty(), storage.load("nothing"));
    }

    @Test
    void deleteRemovesAndMissingDeleteIsFine() {
        storage.save("sandbox/sb1", utf8("x"));
        storage.delete("sandbox/sb1");
        assertEquals(Optional.empty(), storage.load("sandbox/sb1"));
        assertEquals(List.of(), storage.keys(""));
        storage.delete("sandbox/sb1");
        storage.delete("sandbox/never");
    }

    @Test
    void keysListsByPrefixSorted() {
        for (String k : List.of("sandbox/b", "sandbox/a", "sandbox/ab", "other/a", "sandboxes", "top")) {
            storage.save(k, utf8(k));
        }
        assertEquals(List.of("sandbox/a", "sandbox/ab", "sandbox/b"), storage.keys("sandbox/"));
        assertEquals(List.of("sandbox/a", "sandbox/ab"), storage.keys("sandbox/a"));
        assertEquals(List.of("other/a", "sandbox/a", "sandbox/ab", "sandbox/b", "sandboxes", "top"), storage.keys(""));
        assertEquals(List.of(), storage.keys("zzz/"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/abs", "a//b", "a/", "../x", "a/../b", "a/..", "with space", "a/.hidden", "-dash", "semi;colon",
        "ünïcode"})
    void badKeysAreRefusedNamingTheKey(String key) {
        StorageException save = assertThrows(StorageException.class, () -> storage.save(key, utf8("x")));
        assertEquals(key, save.key());
        assertTrue(save.getMessage().contains("'" + key + "'"), save.getMessage());
        assertEquals(key, assertThrows(StorageException.class, () -> storage.load(key)).key());
        assertEquals(key, assertThrows(StorageException.class, () -> storage.delete(key)).key());
        assertEquals(key, assertThrows(StorageException.class, () -> storage.lock(key, Duration.ZERO)).key());
    }

    @Test
    void nullKeyIsRefused() {
        assertThrows(StorageException.class, () -> storage.save(null, utf8("x")));
        assertThrows(StorageException.class, () -> storage.load(null));
    }

    @Test
    void tooLongSegmentIsRefused() {
        String key = "sandbox/" + "a".repeat(129);
        assertThrows(StorageException.class, () -> storage.save(key, utf8("x")));
        storage.save("sandbox/" + "a".repeat(128), utf8("x"));
    }

    @Test
    void largeValueRoundTrips() {
        byte[] big = new byte[16 * 1024 * 1024 + 17];
        new Random(42).nextBytes(big);
        storage.save("sandbox/big", big);
        assertArrayEquals(big, storage.load("sandbox/big").orElseThrow());
    }
}
