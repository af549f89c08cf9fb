package org.vcj.core.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import org.vcj.api.NotFoundException;
import org.vcj.api.StorageException;
import org.vcj.api.storage.MetadataLock;
import org.vcj.api.storage.MetadataStorage;

/** Sandbox records as JSON in the configured {@link MetadataStorage}, one key per sandbox. */
final class RecordStore {

    private static final System.Logger LOG = System.getLogger(RecordStore.class.getName());
    static final String PREFIX = "sandbox/";
    static final Duration LOCK_TIMEOUT = Duration.ofSeconds(120);

    private final Supplier<MetadataStorage> storage;
    private final ObjectMapper json = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(MapperFeature.AUTO_DETECT_IS_GETTERS)
            .build();

    RecordStore(Supplier<MetadataStorage> storage) {
        this.storage = storage;
    }

    static String key(String sandboxId) {
        return PREFIX + sandboxId;
    }

    Optional<SandboxRecord> find(String sandboxId) {
        return storage.get().load(key(sandboxId)).map(bytes -> decode(sandboxId, bytes));
    }

    SandboxRecord load(String sandboxId) {
        return find(sandboxId).orElseThrow(() -> new NotFoundException("sandbox", sandboxId,
                "no sandbox with this id in this root; see 'vcj list'"));
    }

    /** Saves the record durably; returns it for chaining. */
    SandboxRecord save(SandboxRecord r) {
        try {
            storage.get().save(key(r.id()), json.writeValueAsBytes(r));
            return r;
        } catch (IOException e) {
            throw new StorageException(key(r.id()), "save", "cannot encode the sandbox record: " + e.getMessage(), e);
        }
    }

    void delete(String sandboxId) {
        storage.get().delete(key(sandboxId));
    }

    /** Every readable record; an unreadable one is logged and left in place for inspection. */
    List<SandboxRecord> all() {
        List<SandboxRecord> out = new ArrayList<>();
        for (String k : storage.get().keys(PREFIX)) {
            String id = k.substring(PREFIX.length());
            try {
                find(id).ifPresent(out::add);
            } catch (StorageException e) {
                LOG.log(Level.WARNING, "skipping unreadable record " + k + ": " + e.getMessage());
            }
        }
        return out;
    }

    MetadataLock lock(String sandboxId) {
        return storage.get().lock(key(sandboxId), LOCK_TIMEOUT);
    }

    private SandboxRecord decode(String sandboxId, byte[] bytes) {
        try {
            SandboxRecord r = json.readValue(bytes, SandboxRecord.class);
            if (r.version() != SandboxRecord.VERSION) {
                throw new StorageException(key(sandboxId), "load", "record version " + r.version()
                        + " is not supported by this vcj (expects " + SandboxRecord.VERSION + ")", null);
            }
            return r;
        } catch (IOException e) {
            throw new StorageException(key(sandboxId), "load", "corrupt sandbox record: " + e.getMessage(), e);
        }
    }
}
