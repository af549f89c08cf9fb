package org.vcj.agent.internal;

import io.grpc.Context;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Collects OOM kills per container into a queue that GetOOMEvent drains.
 * cgroup v1 (runc): one {@code runc events <cid>} stream per running container reports "oom" events.
 * cgroup v2: a poller reads the containers' memory.events oom_kill counters when the sandbox's memory.events
 * changes ({@link CgroupEventWait}: a file-modified event, with a safety poll every 2 s); kills
 * seen only in the sandbox cgroup (hierarchical counter: the leaf was already removed because the
 * container exited) are attributed to containers that exited with 137 since the last round.
 * Limitation: on v1 an OOM in the first moments after start, before the stream attaches, is missed.
 * Thread-safe.
 */
public final class OomWatcher {
    private static final System.Logger LOG = System.getLogger("org.vcj.agent.oom");

    private final ContainerManager containers;
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final Map<String, Process> streams = new ConcurrentHashMap<>();
    private final Map<String, Long> leafSeen = new ConcurrentHashMap<>();
    private final Map<String, Boolean> reportedExit = new ConcurrentHashMap<>();
    private long sandboxSeen = -1;
    private Thread poller;

    public OomWatcher(ContainerManager containers) {
        this.containers = containers;
    }

    /** Called once a container's main process runs. */
    public synchronized void started(Container c) {
        if (CgroupFiles.unified()) {
            if (poller == null) {
                poller = new Thread(this::pollLoop, "oom-poller");
                poller.setDaemon(true);
                poller.start();
            }
            return;
        }
        OciRuntime rt = containers.runtime();
        if (!rt.name().equals("runc")) {
            LOG.log(System.Logger.Level.WARNING, "no OOM notifications for {0}: {1} has no events verb on cgroup v1",
                    c.id(), rt.name());
            return;
        }
        try {
            Process p = new ProcessBuilder(rt.name(), "--root", rt.root().toString(), "events", "--interval", "3600s", c.id())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            streams.put(c.id(), p);
            Thread t = new Thread(() -> readStream(c.id(), p), "oom-events-" + c.id());
            t.setDaemon(true);
            t.start();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot watch OOM events of " + c.id() + ": " + e.getMessage());
        }
    }

    /** Called when a container is removed. */
    public void removed(String cid) {
        Process p = streams.remove(cid);
        if (p != null) {
            p.destroyForcibly();
        }
        leafSeen.remove(cid);
        reportedExit.remove(cid);
    }

    private void readStream(String cid, Process p) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if ("oom".equals(JsonReader.at(JsonReader.parse(line), "type"))) {
                    LOG.log(System.Logger.Level.INFO, "OOM kill in container {0}", cid);
                    events.add(cid);
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            LOG.log(System.Logger.Level.DEBUG, "OOM event stream of {0} ended: {1}", cid, e.getMessage());
        }
    }

    private void pollLoop() {
        CgroupEventWait wait;
        try {
            wait = new CgroupEventWait(Path.of("/sys/fs/cgroup"));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "no OOM watch: " + e.getMessage());
            return;
        }
        try (wait) {
            while (true) {
                try {
                    wait.await(containers.sandboxId());
                    pollV2();
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "OOM poll failed: " + e);
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the OOM watch: " + e.getMessage());
        }
    }

    private void pollV2() {
        String sid = containers.sandboxId();
        if (sid == null) {
            return;
        }
        long explained = 0;
        for (Container c : containers.all()) {
            long n = CgroupFiles.oomKills(sid, c.id());
            if (n >= 0) {
                Long before = leafSeen.put(c.id(), n);
                if (n > (before == null ? 0 : before)) {
                    explained += n - (before == null ? 0 : before);
                    events.add(c.id());
                }
            }
        }
        long total = CgroupFiles.sandboxOomKills(sid);
        long unexplained = sandboxSeen < 0 ? 0 : total - sandboxSeen - explained;
        sandboxSeen = total;
        if (unexplained > 0) {
            for (Container c : containers.all()) {
                ManagedProcess m = c.main();
                Integer code = m == null ? null : m.exitCode();
                if (code != null && code == 137 && reportedExit.putIfAbsent(c.id(), Boolean.TRUE) == null) {
                    events.add(c.id());
                }
            }
        }
    }

    /** Waits up to timeoutMillis (negative: until the call is cancelled) for an OOM; returns the container id or "". */
    public String await(long timeoutMillis) throws InterruptedException {
        if (timeoutMillis >= 0) {
            String id = events.poll(timeoutMillis, TimeUnit.MILLISECONDS);
            return id == null ? "" : id;
        }
        Context ctx = Context.current();
        while (!ctx.isCancelled()) {
            String id = events.poll(1, TimeUnit.SECONDS);
            if (id != null) {
                return id;
            }
        }
        return "";
    }

    /** Stops every event stream. */
    public void close() {
        List.copyOf(streams.keySet()).forEach(this::removed);
    }
}
