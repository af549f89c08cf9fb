package org.vcj.vmfactory.cache.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import org.vcj.api.HypervisorException;
import org.vcj.api.VcException;
import org.vcj.api.factory.FactoryStatus;
import org.vcj.api.hypervisor.Hypervisor;
import org.vcj.support.fs.FileTrees;

/**
 * The VMs a cache server left behind when it was killed (kill -9, a crash): those its {@link PoolJournal} shows as
 * started and not ended, and any directory under {@code vms/} (a VM is only ever started in one). A VM handed over
 * had its directory moved into a sandbox's, so it is never one of them. Only called when no server answers.
 */
final class CacheOrphans {

    private static final System.Logger LOG = System.getLogger(CacheOrphans.class.getName());
    static final String HOW_TO_REMOVE = "'vcj factory destroy --factory=cache', 'vcj cleanup' or the next 'vcj factory serve' removes it";

    private CacheOrphans() { }

    /** The orphans, id to hypervisor type ({@code null} when only the directory tells of it), with a VM directory. */
    static Map<String, String> find(CachePaths paths) {
        Map<String, String> found = new LinkedHashMap<>();
        new PoolJournal(paths.dir()).live().forEach((id, type) -> {
            if (Files.isDirectory(paths.vms().resolve(id))) found.put(id, type);
        });
        if (Files.isDirectory(paths.vms())) {
            try (Stream<Path> dirs = Files.list(paths.vms())) {
                dirs.map(d -> d.getFileName().toString()).forEach(id -> found.putIfAbsent(id, null));
            } catch (IOException e) {
                throw new HypervisorException(null, "VM cache", "cannot list " + paths.vms() + ": " + e.getMessage(), e);
            }
        }
        return found;
    }

    /** The orphans as status entries (state {@code orphaned}). */
    static List<FactoryStatus> status(CachePaths paths) {
        List<FactoryStatus> out = new ArrayList<>();
        find(paths).forEach((id, type) -> out.add(new FactoryStatus("cache", id, "orphaned", 0, created(paths.vms().resolve(id)), 1,
                (type == null ? "" : type + " ") + "VM left by a cache server that is gone (" + paths.vms().resolve(id) + "); "
                        + HOW_TO_REMOVE)));
        return out;
    }

    /**
     * Stops every orphan (its hypervisor's clean-up of its directory: the process, the network namespace and taps)
     * and removes its directory, then the cache's journal, stale socket and empty directories. Returns what it
     * removed, as it was before. {@code hypervisors} gives the plugin of a type, or null when it is not installed.
     */
    static List<FactoryStatus> reap(CachePaths paths, Function<String, Hypervisor> hypervisors, List<Hypervisor> all) {
        List<FactoryStatus> before = status(paths);
        PoolJournal journal = new PoolJournal(paths.dir());
        find(paths).forEach((id, type) -> {
            Path run = paths.vms().resolve(id);
            Hypervisor hv = type == null ? null : hypervisors.apply(type);
            for (Hypervisor h : hv != null ? List.of(hv) : all) {
                try {
                    h.cleanup(run);
                } catch (VcException e) {
                    LOG.log(System.Logger.Level.WARNING, "VM cache: cleaning up " + run + " failed: " + e.getMessage());
                }
            }
            try {
                FileTrees.delete(run);
            } catch (IOException e) {
                throw new HypervisorException(id, "VM cache", "cannot remove " + run + ": " + e.getMessage(), e);
            }
            journal.ended(id);
            LOG.log(System.Logger.Level.INFO, "VM cache: removed " + id + ", left by a server that is gone");
        });
        // started and never ended, with no directory: handed over just before the server died (the sandbox's now)
        journal.live().keySet().forEach(journal::ended);
        journal.deleteIfDone();
        try {
            Files.deleteIfExists(paths.socket());
            Files.deleteIfExists(paths.vms());
            Files.deleteIfExists(paths.dir());
        } catch (IOException notEmpty) {
            // a template or another file still lives there: not ours to remove
        }
        return before;
    }

    private static Instant created(Path dir) {
        try {
            return Files.getLastModifiedTime(dir).toInstant();
        } catch (IOException e) {
            return null;
        }
    }
}
