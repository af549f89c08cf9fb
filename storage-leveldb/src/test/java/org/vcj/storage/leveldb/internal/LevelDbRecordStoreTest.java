package org.vcj.storage.leveldb.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.fusesource.leveldbjni.JniDBFactory;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.Options;
import org.junit.jupiter.api.Test;
import org.vcj.api.StorageException;
import org.vcj.api.storage.MetadataStorage;
import org.vcj.testing.storage.MetadataStorageContract;

class LevelDbRecordStoreTest extends MetadataStorageContract {
    @Override
    protected MetadataStorage open(Path root) {
        return new LevelDbRecordStore(root, Duration.ofSeconds(10));
    }

    @Test
    void dbHeldElsewhereFailsClearlyAfterTheTimeout() throws Exception {
        storage.save("sandbox/sb1", "v".getBytes(StandardCharsets.UTF_8));
        File dir = root.resolve("leveldb").toFile();
        // an opener holding LOCK, as another process would (a separate JNI handle on the same dir)
        try (DB other = JniDBFactory.factory.open(dir, new Options())) {
            MetadataStorage impatient = new LevelDbRecordStore(root, Duration.ofMillis(300));
            long t = System.nanoTime();
            StorageException e = assertThrows(StorageException.class, () -> impatient.load("sandbox/sb1"));
            long ms = (System.nanoTime() - t) / 1_000_000;
            assertTrue(ms >= 250, "gave up after " + ms + " ms");
            assertEquals("sandbox/sb1", e.key());
            assertTrue(e.getMessage().contains("retry"), e.getMessage());
        }
        assertEquals("v", new String(storage.load("sandbox/sb1").orElseThrow(), StandardCharsets.UTF_8));
    }
}
