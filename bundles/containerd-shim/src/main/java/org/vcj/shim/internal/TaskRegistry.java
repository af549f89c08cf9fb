package org.vcj.shim.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tasks the service serves, of every pod and namespace of its root, keyed by task id (containerd's ids are unique
 * per namespace, vcj's sandbox ids per root: a task id is unique in the service).
 */
final class TaskRegistry {
    private final Map<String, ShimContainer> tasks = new ConcurrentHashMap<>();
    private volatile long lastChange = System.nanoTime();

    /** Adds {@code c}; fails when its id is served already. */
    void add(ShimContainer c) {
        if (tasks.putIfAbsent(c.id(), c) != null) {
            throw new TaskException(TaskException.ALREADY_EXISTS, "task " + c.id() + " already exists in this vcj shim service");
        }
        lastChange = System.nanoTime();
    }

    void remove(String id) {
        tasks.remove(id);
        lastChange = System.nanoTime();
    }

    boolean contains(String id) {
        return tasks.containsKey(id);
    }

    /** The task, or null. */
    ShimContainer find(String id) {
        return tasks.get(id);
    }

    ShimContainer task(String id) {
        ShimContainer c = tasks.get(id);
        if (c == null) throw new TaskException(TaskException.NOT_FOUND, "task " + id + " not found in this vcj shim service");
        return c;
    }

    static ShimProcess process(ShimContainer c, String execId) {
        if (execId == null || execId.isEmpty()) return c.init();
        ShimProcess p = c.execs().get(execId);
        if (p == null) throw new TaskException(TaskException.NOT_FOUND, "exec " + execId + " not found in task " + c.id());
        return p;
    }

    /** Whether a task of the service is in sandbox {@code sandboxId}. */
    boolean sandboxInUse(String sandboxId) {
        return tasks.values().stream().anyMatch(c -> c.sandboxId().equals(sandboxId));
    }

    List<ShimContainer> all() {
        return List.copyOf(tasks.values());
    }

    boolean isEmpty() {
        return tasks.isEmpty();
    }

    /** {@link System#nanoTime()} of the last add or remove. */
    long lastChange() {
        return lastChange;
    }
}
