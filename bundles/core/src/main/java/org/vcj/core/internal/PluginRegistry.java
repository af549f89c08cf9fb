package org.vcj.core.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.vcj.api.PluginNotFoundException;

/**
 * Plugins of one kind (hypervisors, storages, VM factories) by their type name, as services come and go.
 * A plugin registered later is usable at once; a lookup of a type that is not there waits a short, bounded
 * time (bundles start asynchronously) and then fails with the list of what is installed.
 *
 * @param <T> the plugin's service interface
 */
final class PluginRegistry<T> {

    private final String kind;
    private final Map<String, T> byType = new TreeMap<>();

    PluginRegistry(String kind) {
        this.kind = kind;
    }

    synchronized void add(String type, T plugin) {
        if (type != null) {
            byType.put(type, plugin);
            notifyAll();
        }
    }

    synchronized void remove(String type, T plugin) {
        if (type != null) byType.remove(type, plugin);
    }

    synchronized List<String> types() {
        return List.copyOf(byType.keySet());
    }

    /** The plugin of this type, waiting up to {@code grace} for it to register. */
    synchronized T require(String type, Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        while (!byType.containsKey(type)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new PluginNotFoundException(kind, type, types());
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PluginNotFoundException(kind, type, types());
            }
        }
        return byType.get(type);
    }
}
