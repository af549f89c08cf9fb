package org.vcj.agent.internal;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Waits for the sandbox's cgroup v2 {@code memory.events} to change (the kernel notifies a file-modified event on it;
 * the counters are hierarchical, so the sandbox's file changes with any container's OOM kill) instead of polling: an
 * idle sandbox's OOM watch then never wakes, but for a safety poll every {@link #SAFETY_POLL_MILLIS}. Without a
 * sandbox there is nothing to watch and it waits {@link #IDLE_MILLIS}. Used by one thread; not thread-safe.
 */
final class CgroupEventWait implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("org.vcj.agent.oom");
    /** The longest wait without an event (an event the kernel did not send costs at most this delay). */
    static final long SAFETY_POLL_MILLIS = 10_000;
    static final long IDLE_MILLIS = 1000;
    /** The wait while the sandbox's cgroup cannot be watched (as before there was a watch). */
    static final long UNWATCHED_MILLIS = 100;

    private final Path root;
    private final WatchService watch;
    private String watched;
    private WatchKey key;

    CgroupEventWait(Path root) throws IOException {
        this.root = root;
        this.watch = FileSystems.getDefault().newWatchService();
    }

    /** Returns when sandbox {@code sid}'s memory events may have changed, or after a bounded wait. */
    void await(String sid) throws InterruptedException {
        if (sid == null) {
            Thread.sleep(IDLE_MILLIS);
            return;
        }
        if (!Objects.equals(sid, watched) || key == null || !key.isValid()) register(sid);
        if (key == null) {
            Thread.sleep(UNWATCHED_MILLIS);
            return;
        }
        WatchKey k = watch.poll(SAFETY_POLL_MILLIS, TimeUnit.MILLISECONDS);
        if (k != null) {
            k.pollEvents();
            k.reset();
        }
    }

    private void register(String sid) {
        if (key != null) key.cancel();
        key = null;
        watched = sid;
        Path dir = root.resolve("vcj").resolve(sid);
        if (!Files.isDirectory(dir)) return;
        try {
            key = dir.register(watch, StandardWatchEventKinds.ENTRY_MODIFY);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.INFO, "cannot watch {0} ({1}): polling memory.events", dir, e.toString());
        }
    }

    @Override
    public void close() throws IOException {
        watch.close();
    }
}
