package org.vcj.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FelixCacheTest {

    @TempDir Path tmp;

    private Path home() throws Exception {
        Path home = tmp.resolve("home");
        Files.createDirectories(home.resolve("lib"));
        Files.createDirectories(home.resolve("plugins"));
        Files.writeString(home.resolve("plugins/.keep"), "");
        Files.createDirectories(home.resolve("bundle"));
        Files.writeString(home.resolve("bundle/a.jar"), "a");
        Files.writeString(home.resolve("lib/felix.jar"), "f");
        return home;
    }

    @Test
    void aSlotIsReusedOnlyAfterACleanRelease() throws Exception {
        Path home = home();
        FelixCache first = FelixCache.acquire(home, tmp);
        assertTrue(first.kept());
        assertFalse(first.reused());
        Files.writeString(first.dir().resolve("bundle1"), "installed");
        first.release(true);

        FelixCache second = FelixCache.acquire(home, tmp);
        assertEquals(first.dir(), second.dir());
        assertTrue(second.reused());
        assertTrue(Files.exists(second.dir().resolve("bundle1")));
        second.release(false);

        FelixCache third = FelixCache.acquire(home, tmp);
        assertFalse(third.reused());
        assertFalse(Files.exists(third.dir().resolve("bundle1")), "a slot released unclean is emptied");
        third.close();   // as a launcher killed meanwhile: no marker

        FelixCache fourth = FelixCache.acquire(home, tmp);
        assertFalse(fourth.reused(), "a slot whose launcher died is emptied, not reused");
        fourth.release(true);
    }

    @Test
    void launchersAtOnceGetDifferentSlotsAndThenThrowAwayCaches() throws Exception {
        Path home = home();
        java.util.List<FelixCache> held = new java.util.ArrayList<>();
        for (int i = 0; i < FelixCache.SLOTS; i++) held.add(FelixCache.acquire(home, tmp));
        assertEquals(FelixCache.SLOTS, held.stream().map(FelixCache::dir).distinct().count());
        FelixCache extra = FelixCache.acquire(home, tmp);
        assertFalse(extra.kept());
        assertTrue(extra.dir().getFileName().toString().startsWith("vcj-felix-" + ProcessHandle.current().pid() + "-"));
        extra.release(true);
        assertFalse(Files.exists(extra.dir()), "a throw-away cache is removed at its end");
        held.forEach(c -> c.release(true));
    }

    @Test
    void anotherBuildOfTheInstallationGetsAnotherSlotAndTheOldOneIsPruned() throws Exception {
        Path home = home();
        FelixCache before = FelixCache.acquire(home, tmp);
        before.release(true);
        Files.writeString(home.resolve("bundle/a.jar"), "rebuilt, longer");
        FelixCache after = FelixCache.acquire(home, tmp);
        assertNotEquals(before.dir(), after.dir());
        assertFalse(after.reused());
        assertFalse(Files.exists(before.dir()), "the slot of the old build is emptied");
        after.release(true);
    }

    @Test
    void dropInPluginsOrABaseThatIsNotOnlyTheUsersGetAThrowAwayCache() throws Exception {
        Path home = home();
        Files.writeString(home.resolve("plugins/p.jar"), "p");
        FelixCache withPlugins = FelixCache.acquire(home, tmp);
        assertFalse(withPlugins.kept());
        withPlugins.release(true);
        Files.delete(home.resolve("plugins/p.jar"));

        Path base = FelixCache.ownBase(tmp);
        Files.setPosixFilePermissions(base, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        FelixCache open = FelixCache.acquire(home, tmp);
        assertFalse(open.kept(), "a base others can write to is not used");
        open.release(true);
    }

    @Test
    void cachesOfDeadLaunchersAreRemovedAndLiveOnesKept() throws Exception {
        java.lang.Process done = new ProcessBuilder("true").start();
        done.waitFor();
        Path dead = Files.createDirectories(tmp.resolve("vcj-felix-" + done.pid() + "-123/bundle0"));
        Path live = Files.createDirectories(tmp.resolve("vcj-felix-" + ProcessHandle.current().pid() + "-456/bundle0"));
        Path other = Files.createDirectories(tmp.resolve("vcj-felix-notapid"));
        FelixCache.removeCachesOfDeadLaunchers(tmp);
        assertFalse(Files.exists(dead.getParent()));
        assertTrue(Files.exists(live));
        assertTrue(Files.exists(other));
    }

    @Test
    void launchersRemovingTheSameDeadCacheAtOnceDoNotFail() throws Exception {
        java.lang.Process done = new ProcessBuilder("true").start();
        done.waitFor();
        for (int round = 0; round < 20; round++) {
            for (int c = 0; c < 5; c++) {
                for (int b = 0; b < 20; b++) {
                    Files.createDirectories(tmp.resolve("vcj-felix-" + done.pid() + "-" + c + "/bundle" + b + "/version0.0"));
                }
            }
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            java.util.List<java.util.concurrent.Future<?>> runs = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) runs.add(pool.submit(() -> FelixCache.removeCachesOfDeadLaunchers(tmp)));
            for (java.util.concurrent.Future<?> f : runs) f.get(30, java.util.concurrent.TimeUnit.SECONDS);  // none threw
            pool.shutdown();
            try (java.util.stream.Stream<Path> left = Files.list(tmp)) {
                assertFalse(left.anyMatch(p -> p.getFileName().toString().startsWith("vcj-felix-" + done.pid())));
            }
        }
    }
}
