package org.vcj.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A VM cache server on real QEMU (one VM, booted directly) stopped every way a server is stopped: SIGTERM (as a
 * script's background job) stops its VMs and removes their network namespaces; after kill -9 its VMs are listed as
 * orphans and removed by {@code factory destroy}, by {@code cleanup} (even a VM killed while booting) and by the next
 * {@code serve}.
 */
@Tag("vm")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CacheServerStopIT {

    private static final Path ROOT = Path.of(System.getProperty("java.io.tmpdir"), "vcj-cachestop-" + ProcessHandle.current().pid());
    private static final Path CACHE = ROOT.resolve("factory/cache");
    private static final String[] SERVE = {"factory", "serve", "--factory=cache", "--size=1", "--hypervisor=qemu", "--from=direct"};

    private final Cli cli = new Cli(ROOT, "fs");

    @AfterAll
    static void removeEverything() throws Exception {
        new Cli(ROOT, "fs").run("factory", "destroy", "--factory=cache");
        Distribution.stopProcessesMentioning(ROOT.toString());
        Distribution.deleteTree(ROOT);
    }

    @Test
    @Order(1)
    void sigtermStopsTheVmsNobodyTookAndRemovesTheirNamespaces() throws Exception {
        ScriptJob server = serve("term.log");
        try {
            await("a ready VM", 300, () -> status().contains(" ready "));
            assertEquals(1, qemus().size(), qemus().toString());
            assertEquals(1, namespaces().size(), namespaces().toString());
            server.signal("TERM");
            int code = server.awaitExit(120);
            assertTrue(code == 143 || code == 0, "exit status " + code + ": " + server.output());
        } finally {
            server.kill();
        }
        assertNothingLeft();
        Path scratch = ROOT.resolve("factory/scratch");
        assertFalse(Files.exists(scratch), "the server's scratch directory is removed: "
                + (Files.exists(scratch) ? Files.list(scratch).toList() : ""));
    }

    @Test
    @Order(2)
    void afterKill9DestroyRemovesTheOrphanedVm() throws Exception {
        ScriptJob server = serve("kill-destroy.log");
        await("a ready VM", 300, () -> status().contains(" ready "));
        server.signal("KILL");
        server.awaitExit(30);
        assertEquals(1, qemus().size(), "kill -9 leaves the VM running: " + qemus());
        String orphans = status();
        assertTrue(orphans.contains(" orphaned ") && orphans.contains("destroy"), "status lists the orphan: " + orphans);
        Cli.Result d = cli.run("factory", "destroy", "--factory=cache");
        assertEquals(0, d.code(), d.err());
        assertTrue(d.out().contains("removed 1"), d.out());
        assertNothingLeft();
    }

    @Test
    @Order(3)
    void afterKill9WhileBootingCleanupRemovesTheVm() throws Exception {
        ScriptJob server = serve("kill-cleanup.log");
        await("QEMU to start", 300, () -> !qemus().isEmpty());
        server.signal("KILL");
        server.awaitExit(30);
        Cli.Result c = cli.run("cleanup");
        assertEquals(0, c.code(), c.err());
        assertTrue(c.out().contains("cache-"), "cleanup names the VM it removed: " + c.out());
        assertNothingLeft();
    }

    @Test
    @Order(4)
    void afterKill9TheNextServeRemovesTheOldVm() throws Exception {
        ScriptJob first = serve("kill-serve-1.log");
        await("a ready VM", 300, () -> status().contains(" ready "));
        String old = qemus().get(0);
        first.signal("KILL");
        first.awaitExit(30);
        ScriptJob second = serve("kill-serve-2.log");
        try {
            await("the new server's ready VM", 300, () -> status().contains(" ready "));
            assertTrue(second.output().contains("removed 1 VM(s) left by a VM cache server that was killed"), second.output());
            assertFalse(qemus().contains(old), "the old VM was stopped: " + qemus());
            assertEquals(1, qemus().size(), qemus().toString());
            second.signal("TERM");
            second.awaitExit(120);
        } finally {
            second.kill();
        }
        assertNothingLeft();
    }

    private ScriptJob serve(String log) throws Exception {
        Files.createDirectories(ROOT);
        return ScriptJob.start(ROOT, ROOT.resolve(log), SERVE);
    }

    private void assertNothingLeft() throws Exception {
        assertEquals(List.of(), qemus(), "no QEMU of the cache left");
        assertEquals(List.of(), namespaces(), "no network namespace of the cache left");
        assertFalse(Files.exists(CACHE), "the cache's directory is removed");
        assertFalse(status().contains("cache-"), status());
    }

    private static List<String> qemus() {
        return Distribution.processesMentioning(CACHE.toString()).stream().filter(p -> p.contains("qemu-system")).toList();
    }

    /** The network namespaces of this root's cached VMs (named after the VM, whose run directory is under the cache). */
    private static List<String> namespaces() {
        Path netns = Path.of("/var/run/netns");
        if (!Files.isDirectory(netns)) return List.of();
        try (Stream<Path> s = Files.list(netns)) {
            List<String> ids = vmIdsEverSeen();
            return s.map(p -> p.getFileName().toString()).filter(n -> ids.stream().anyMatch(n::contains)).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static final java.util.Set<String> SEEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Every cached VM id seen under the cache's directory so far (its namespace outlives the directory when orphaned). */
    private static List<String> vmIdsEverSeen() {
        Path vms = CACHE.resolve("vms");
        if (Files.isDirectory(vms)) {
            try (Stream<Path> s = Files.list(vms)) {
                s.forEach(p -> SEEN.add(p.getFileName().toString()));
            } catch (IOException gone) {
                // removed while we looked
            }
        }
        return List.copyOf(SEEN);
    }

    private String status() {
        try {
            return cli.run("factory", "status", "--factory=cache").out();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(String what, int seconds, BooleanSupplier done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!done.getAsBoolean()) {
            vmIdsEverSeen();
            if (System.nanoTime() > deadline) throw new AssertionError("waited " + seconds + " s for " + what);
            Thread.sleep(250);
        }
    }
}
