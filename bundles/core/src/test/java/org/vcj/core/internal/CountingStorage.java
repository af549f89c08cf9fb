package org.vcj.core.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.vcj.api.storage.MetadataLock;
import org.vcj.api.storage.MetadataStorage;

/**
 * A metadata storage (over {@link Fakes.MemoryStorage}) that counts the record traffic (loads, saves, lock cycles)
 * and keeps, for every save, the states it saved: the sandbox's and each container's, by id.
 */
final class CountingStorage implements MetadataStorage {

    /** The states one save wrote: the sandbox's (key {@code ""}) and each container's (key: its id). */
    record Saved(Map<String, String> states) { }

    final Fakes.MemoryStorage inner = new Fakes.MemoryStorage();
    final AtomicInteger loads = new AtomicInteger();
    final AtomicInteger saves = new AtomicInteger();
    final AtomicInteger locks = new AtomicInteger();
    final List<Saved> saved = java.util.Collections.synchronizedList(new ArrayList<>());
    private final ObjectMapper json = new ObjectMapper();

    @Override
    public void save(String key, byte[] value) {
        saves.incrementAndGet();
        saved.add(states(value));
        inner.save(key, value);
    }

    @Override
    public Optional<byte[]> load(String key) {
        loads.incrementAndGet();
        return inner.load(key);
    }

    @Override public void delete(String key) { inner.delete(key); }

    @Override public List<String> keys(String prefix) { return inner.keys(prefix); }

    @Override
    public MetadataLock lock(String key, Duration timeout) {
        locks.incrementAndGet();
        return inner.lock(key, timeout);
    }

    /** {@code loads/saves/locks} since the last call, as text (for assertEquals), and the counts reset. */
    String takeCounts() {
        return "loads=" + loads.getAndSet(0) + " saves=" + saves.getAndSet(0) + " locks=" + locks.getAndSet(0);
    }

    private Saved states(byte[] record) {
        try {
            JsonNode n = json.readTree(record);
            Map<String, String> s = new LinkedHashMap<>();
            s.put("", n.get("state").asText());
            for (JsonNode c : n.get("containers")) s.put(c.get("id").asText(), c.get("state").asText());
            return new Saved(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
