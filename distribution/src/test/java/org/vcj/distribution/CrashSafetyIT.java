package org.vcj.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Kills the CLI's JVM (Runtime.halt, as kill -9 would) at every named crash point of create, start, exec, stop
 * and delete; then, in fresh JVMs, the sandbox must be listed with a truthful state, usable where it was complete,
 * and deletable; and nothing may be left: no record, no directory, no process.
 */
class CrashSafetyIT {

    private static final Path ROOT = Path.of(System.getProperty("java.io.tmpdir"), "vcj-crash-" + ProcessHandle.current().pid());
    private static final List<String> REPORT = new ArrayList<>();

    @BeforeAll
    static void header() {
        REPORT.add("| storage | crash point | during | listed state | exec after | cleaned by | leaked |");
        REPORT.add("|---|---|---|---|---|---|---|");
    }

    @AfterAll
    static void report() throws IOException {
        Path out = Path.of("target", "crash-report.md");
        Files.write(out, REPORT);
        REPORT.forEach(System.out::println);
    }

    @ParameterizedTest(name = "{0} {1} during {2}")
    @CsvSource({
        "fs, create.record-saved, run",
        "fs, create.vm-starting, run",
        "fs, create.vm-started, run",
        "fs, create.vm-saved, run",
        "fs, create.agent-sandbox-created, run",
        "fs, container.record-saved, run",
        "fs, container.rootfs-shared, run",
        "fs, container.agent-created, run",
        "fs, create.ready-saved, run",
        "fs, container.started, run",
        "fs, start.containers-started, run",
        "fs, start.running-saved, run",
        "fs, exec.before-agent, exec",
        "fs, exec.agent-started, exec",
        "fs, pause.containers-paused, pause",
        "fs, stop.container-signalled, stop",
        "fs, stop.containers-stopped, stop",
        "fs, stop.agent-destroyed, stop",
        "fs, stop.vm-stopped, stop",
        "fs, delete.deleting-saved, delete",
        "fs, delete.vm-stopped, delete",
        "fs, delete.files-removed, delete",
        "leveldb, create.vm-started, run",
        "leveldb, container.rootfs-shared, run",
        "leveldb, exec.agent-started, exec",
        "leveldb, stop.vm-stopped, stop",
        "leveldb, delete.files-removed, delete",
    })
    void aKilledRuntimeLeavesStateTheNextOneCanListReattachAndCleanUp(String storage, String point, String during)
            throws Exception {
        Cli cli = new Cli(ROOT.resolve(storage), storage);
        String id = "c-" + point.replace('.', '-');
        List<String> run = List.of("run", "--detach", "--id=" + id, "--", "sleep", "600");
        if (!during.equals("run")) {
            assertEquals(0, cli.run(run.toArray(String[]::new)).code());
            if (during.equals("delete")) assertEquals(0, cli.run("stop", id).code());
        }
        Cli.Result crashed = switch (during) {
            case "run" -> cli.crashAt(point, run.toArray(String[]::new));
            case "exec" -> cli.crashAt(point, "exec", id, "--", "echo", "x");
            default -> cli.crashAt(point, during, id);
        };
        assertEquals(137, crashed.code(), "the JVM halted at " + point + ": " + crashed.err());

        Cli.Result list = cli.run("list");
        assertEquals(0, list.code(), list.err());
        assertFalse(list.err().contains("unreadable"), "no corrupt record: " + list.err());
        String state = stateOf(list.out(), id);
        String execAfter = "-";
        if (state.equals("running")) {
            // Reattach: a fresh JVM reaches the agent again. A container the crash left paused or stopped is
            // refused with a typed state error that names its real state.
            Cli.Result exec = cli.run("exec", id, "--", "echo", "alive");
            if (exec.code() == 0) {
                assertEquals("alive\n", exec.out(), exec.err());
                execAfter = "ok";
            } else {
                assertTrue(exec.err().matches("(?s).*in state (paused|stopped).*"), exec.err());
                execAfter = "refused: container " + exec.err().replaceAll("(?s).*in state (\\w+).*", "$1");
            }
        }
        String cleanedBy = "delete --force";
        if (state.equals("creating") || state.equals("deleting")) {
            Cli.Result sweep = cli.run("cleanup");
            assertEquals(0, sweep.code(), sweep.err());
            cleanedBy = "cleanup";
        }
        if (!stateOf(cli.run("list").out(), id).equals("absent")) {
            Cli.Result delete = cli.run("delete", "--force", id);
            assertEquals(0, delete.code(), delete.err());
        }
        List<String> leaked = leftovers(cli, storage, id);
        REPORT.add("| " + storage + " | " + point + " | " + during + " | " + state + " | " + execAfter + " | "
                + cleanedBy + " | " + (leaked.isEmpty() ? "0" : leaked.toString()) + " |");
        assertEquals(List.of(), leaked);
    }

    private static String stateOf(String listing, String id) {
        return listing.lines().filter(l -> l.startsWith(id + " ")).map(l -> l.trim().split("\\s+")[1]).findFirst().orElse("absent");
    }

    private static List<String> leftovers(Cli cli, String storage, String id) throws Exception {
        List<String> left = new ArrayList<>(Distribution.processesMentioning(ROOT.resolve(storage).resolve("sandboxes").resolve(id).toString()));
        Path dir = ROOT.resolve(storage).resolve("sandboxes").resolve(id);
        if (Files.exists(dir)) left.add("directory " + dir);
        if (!stateOf(cli.run("list").out(), id).equals("absent")) left.add("record " + id);
        try (Stream<String> mounts = Files.lines(Path.of("/proc/self/mountinfo"))) {
            mounts.filter(l -> l.contains(dir.toString())).forEach(l -> left.add("mount " + l));
        }
        return left;
    }
}
