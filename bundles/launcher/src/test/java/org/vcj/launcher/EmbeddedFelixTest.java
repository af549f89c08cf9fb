package org.vcj.launcher;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedFelixTest {

    @TempDir Path tmp;

    @Test
    void cachesOfDeadLaunchersAreRemovedAndLiveOnesKept() throws Exception {
        java.lang.Process done = new ProcessBuilder("true").start();
        done.waitFor();
        Path dead = Files.createDirectories(tmp.resolve("vcj-felix-" + done.pid() + "-123/bundle0"));
        Path live = Files.createDirectories(tmp.resolve("vcj-felix-" + ProcessHandle.current().pid() + "-456/bundle0"));
        Path other = Files.createDirectories(tmp.resolve("vcj-felix-notapid"));
        EmbeddedFelix.removeCachesOfDeadLaunchers(tmp);
        assertFalse(Files.exists(dead.getParent()));
        assertTrue(Files.exists(live));
        assertTrue(Files.exists(other));
    }
}
