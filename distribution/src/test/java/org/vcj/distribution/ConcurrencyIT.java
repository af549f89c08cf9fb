package org.vcj.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

/**
 * Several CLI processes at once on one root: on different sandboxes they do not disturb each other; on the same
 * sandbox the per-sandbox lock serialises them, so each sees the other's saved change and none is lost.
 */
class ConcurrencyIT {

    private static final Path ROOT = Path.of(System.getProperty("java.io.tmpdir"), "vcj-conc-" + ProcessHandle.current().pid());

    private static List<Cli.Result> parallel(List<String[]> calls, Cli cli) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        try {
            List<Future<Cli.Result>> futures = new ArrayList<>();
            for (String[] verb : calls) futures.add(pool.submit(() -> cli.run(verb)));
            List<Cli.Result> results = new ArrayList<>();
            for (Future<Cli.Result> f : futures) results.add(f.get());
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void manyClisOnDifferentSandboxesAndTwoOnTheSameOne() throws Exception {
        for (String storage : List.of("fs", "leveldb")) {
            Cli cli = new Cli(ROOT.resolve(storage), storage);
            List<String[]> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) runs.add(new String[] {"run", "--detach", "--hypervisor=mock", "--id=p" + i, "--", "sleep", "600"});
            for (Cli.Result r : parallel(runs, cli)) assertEquals(0, r.code(), r.err());
            String list = cli.run("list").out();
            for (int i = 0; i < 4; i++) assertTrue(list.contains("p" + i + " ") && list.contains("running"), list);

            // Two stops of the same sandbox: one stops it, the other finds it stopped; both succeed.
            for (Cli.Result r : parallel(List.of(new String[] {"stop", "p0"}, new String[] {"stop", "p0"}), cli)) {
                assertEquals(0, r.code(), r.err());
            }
            assertTrue(cli.run("status", "p0").out().contains("stopped"));

            // Two deletes of the same sandbox: exactly one deletes it, the other is told it is gone.
            List<Cli.Result> deletes = parallel(List.of(new String[] {"delete", "--force", "p1"},
                    new String[] {"delete", "--force", "p1"}), cli);
            long ok = deletes.stream().filter(r -> r.code() == 0).count();
            assertEquals(1, ok, deletes.toString());
            assertTrue(deletes.stream().anyMatch(r -> r.code() == 1 && r.err().contains("p1")), deletes.toString());

            List<String[]> cleanup = new ArrayList<>();
            for (String id : List.of("p0", "p2", "p3")) cleanup.add(new String[] {"delete", "--force", id});
            for (Cli.Result r : parallel(cleanup, cli)) assertEquals(0, r.code(), r.err());
            assertEquals(1, cli.run("list").out().lines().count(), "only the header is left");
            assertEquals(List.of(), Distribution.processesMentioning(ROOT.resolve(storage).resolve("sandboxes").toString()));
            try (var left = Files.list(ROOT.resolve(storage).resolve("sandboxes"))) {
                assertEquals(0, left.count());
            }
        }
    }
}
