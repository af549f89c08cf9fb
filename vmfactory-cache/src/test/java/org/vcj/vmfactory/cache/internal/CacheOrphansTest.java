package org.vcj.vmfactory.cache.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vcj.api.factory.FactoryStatus;
import org.vcj.api.hypervisor.Hypervisor;

/** The pool journal and what a killed server's successor finds and removes with it (the hypervisor is a recording mock). */
class CacheOrphansTest {

    @TempDir Path root;
    final List<Path> cleaned = new ArrayList<>();
    final Hypervisor qemu = (Hypervisor) Proxy.newProxyInstance(Hypervisor.class.getClassLoader(), new Class<?>[] {Hypervisor.class},
            (proxy, method, args) -> {
                if (method.getName().equals("cleanup")) cleaned.add((Path) args[0]);
                return null;
            });

    @Test
    void theJournalKeepsWhatWasStartedAndNotEnded() {
        PoolJournal j = new PoolJournal(root);
        j.started("cache-a", "qemu");
        j.started("cache-b", "qemu");
        j.ended("cache-a");
        assertEquals(Map.of("cache-b", "qemu"), j.live());
        j.deleteIfDone();
        assertTrue(Files.exists(root.resolve(PoolJournal.FILE)), "kept while a VM is live");
        j.ended("cache-b");
        j.deleteIfDone();
        assertFalse(Files.exists(root.resolve(PoolJournal.FILE)));
    }

    @Test
    void aTruncatedLastLineIsIgnored() throws Exception {
        Files.writeString(root.resolve(PoolJournal.FILE), "start cache-a qemu\nend cache-a\nstart cache-b qe");
        assertEquals(Map.of(), new PoolJournal(root).live());
    }

    @Test
    void orphansAreListedAndReapedAndAHandedOverVmIsLeftAlone() throws Exception {
        CachePaths paths = CachePaths.of(root);
        PoolJournal j = new PoolJournal(paths.dir());
        j.started("cache-ready", "qemu");
        Files.createDirectories(paths.vms().resolve("cache-ready"));
        j.started("cache-booting", "qemu");
        Files.createDirectories(paths.vms().resolve("cache-booting"));
        j.started("cache-taken", "qemu");   // killed after the move into a sandbox, before 'end'
        Files.createDirectories(paths.vms());
        Files.writeString(paths.socket(), "");   // the stale socket

        List<FactoryStatus> listed = CacheOrphans.status(paths);
        assertEquals(List.of("cache-ready", "cache-booting"), listed.stream().map(FactoryStatus::name).toList());
        assertTrue(listed.stream().allMatch(s -> s.state().equals("orphaned") && s.detail().contains("factory destroy")));

        List<FactoryStatus> removed = CacheOrphans.reap(paths, t -> t.equals("qemu") ? qemu : null, List.of(qemu));
        assertEquals(2, removed.size());
        assertEquals(List.of(paths.vms().resolve("cache-ready"), paths.vms().resolve("cache-booting")), cleaned,
                "the hypervisor cleaned up each orphan's directory, never the handed-over VM's");
        assertFalse(Files.exists(paths.dir()), "journal, socket and directories are gone");
    }
}
