package org.vcj.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/vcj as a user runs it: the launcher passes the command to the CLI service, prints nothing of its own,
 * keeps a root's storage type, runs Gogo commands, and keeps one Felix cache for the next call (no throw-away one).
 */
class LauncherIT {

    @TempDir Path tmp;

    @Test
    void aCommandPrintsOnlyWhatTheContainerPrintedAndExitsWithItsCode() throws Exception {
        Path javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
        Cli cli = new Cli(tmp.resolve("root"), "fs").withEnv(Map.of("VCJ_JAVA_OPTS", "-Djava.io.tmpdir=" + javaTmp));
        Cli.Result r = cli.run("run", "--hypervisor=mock", "--", "sh", "-c", "echo hi; exit 3");
        assertEquals(3, r.code(), r.err());
        assertEquals("hi\n", r.out());
        assertEquals("", r.err());
        Cli.Result again = cli.run("run", "--hypervisor=mock", "--", "echo", "again");
        String userDir = "vcj-felix-u" + new com.sun.security.auth.module.UnixSystem().getUid();
        assertEquals("again\n", again.out(), again.err());
        try (Stream<Path> left = Files.list(javaTmp)) {
            assertEquals(List.of(userDir), left.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("vcj-felix-")).toList(),
                    "no throw-away cache is left, only the user's directory of kept caches");
        }
        Path base = javaTmp.resolve(userDir);
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(base)));
        try (Stream<Path> slots = Files.list(base)) {
            List<Path> dirs = slots.filter(Files::isDirectory).toList();
            assertEquals(1, dirs.size(), "the second call reused the first one's slot: " + dirs);
            assertTrue(Files.exists(dirs.get(0).resolve("clean")), "a slot stopped cleanly is marked for reuse");
        }
    }

    @Test
    void aRootKeepsItsStorageTypeAndRefusesAnother() throws Exception {
        Path root = tmp.resolve("lvl");
        Cli.Result first = new Cli(root, "leveldb").run("list");
        assertEquals(0, first.code(), first.err());
        assertEquals("leveldb\n", Files.readString(root.resolve("storage.type")));
        assertTrue(Files.isDirectory(root.resolve("leveldb")), "the leveldb plugin keeps its records under <root>/leveldb");

        Cli.Result other = new Cli(root, "fs").run("list");
        assertEquals(2, other.code());
        assertTrue(other.err().contains("uses storage 'leveldb', not 'fs'"), other.err());
        assertEquals("", other.out());

        Cli.Result again = new Cli(root, "leveldb").plain("--root=" + root, "list");
        assertEquals(0, again.code(), again.err());
    }

    @Test
    void gogoCommandsRunAndReportTheFailingStatus() throws Exception {
        Path root = tmp.resolve("gogo");
        Cli cli = new Cli(root, "fs");
        Cli.Result list = cli.run("shell", "-c", "vc:list");
        assertEquals(0, list.code(), list.err());
        assertTrue(list.out().startsWith("ID"), list.out());
        Cli.Result missing = cli.run("shell", "-c", "vc:status nope");
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("nope"), missing.err());
        Cli.Result usage = cli.run("shell", "-x");
        assertEquals(2, usage.code());
    }

    @Test
    void startupIsQuick() throws Exception {
        Cli cli = new Cli(tmp.resolve("t"), "fs");
        cli.run("list");
        long t0 = System.nanoTime();
        Cli.Result r = cli.run("list");
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(0, r.code(), r.err());
        System.out.println("vcj list (fresh JVM + Felix + 20 bundles): " + millis + " ms");
        assertTrue(millis < 15_000, millis + " ms");
    }
}
