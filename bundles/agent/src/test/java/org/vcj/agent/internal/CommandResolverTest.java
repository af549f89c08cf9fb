package org.vcj.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vcj.agent.protocol.Cmd;
import org.vcj.agent.protocol.CommandError;
import org.vcj.agent.protocol.EnvVar;

class CommandResolverTest {
    @TempDir
    Path rootfs;

    @BeforeEach
    void layout() throws Exception {
        Files.createDirectories(rootfs.resolve("bin"));
        Files.createDirectories(rootfs.resolve("usr/bin"));
        Files.createDirectories(rootfs.resolve("opt/tools"));
        Path busybox = Files.writeString(rootfs.resolve("bin/busybox"), "#!");
        Files.setPosixFilePermissions(busybox, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(rootfs.resolve("bin/sh"), Path.of("busybox"));
        // an absolute link: inside the container it points into the rootfs, not at the agent's /bin
        Files.createSymbolicLink(rootfs.resolve("usr/bin/env"), Path.of("/bin/busybox"));
        Files.createSymbolicLink(rootfs.resolve("usr/bin/dangling"), Path.of("/nowhere/at/all"));
        Files.writeString(rootfs.resolve("opt/tools/notes.txt"), "text");
        Files.writeString(rootfs.resolve("usr/bin/data"), "not a program");
    }

    private static Cmd cmd(String... args) {
        return Cmd.newBuilder().addAllArgs(List.of(args)).build();
    }

    @Test
    void namesFoundOnThePathThroughLinksAreRunnable() {
        assertNull(CommandResolver.check(rootfs, cmd("sh", "-c", "true"), "c1"));
        assertNull(CommandResolver.check(rootfs, cmd("env"), "c1"));
        assertNull(CommandResolver.check(rootfs, cmd("/usr/bin/env"), "c1"));
        assertNull(CommandResolver.check(rootfs, Cmd.newBuilder().addArgs("../bin/sh").setWorkDir("/opt").build(), "c1"));
    }

    @Test
    void aMissingNameIsNotFoundAndTheMessageSaysWhereItLooked() {
        CommandResolver.Finding f = CommandResolver.check(rootfs, cmd("nosuchcmd"), "c1");
        assertEquals(CommandError.Reason.NOT_FOUND, f.reason());
        assertEquals("nosuchcmd", f.command());
        assertEquals("command 'nosuchcmd' not found in container c1: no such executable in PATH "
                + CommandResolver.DEFAULT_PATH, f.detail());
        Cmd ownPath = Cmd.newBuilder().addArgs("sh").addEnvs(EnvVar.newBuilder().setVar("PATH").setValue("/opt/tools")).build();
        assertEquals(CommandError.Reason.NOT_FOUND, CommandResolver.check(rootfs, ownPath, "c1").reason(),
                "the process's own PATH is searched, not the default");
    }

    @Test
    void missingPathsAndDanglingLinksAreNotFound() {
        assertEquals(CommandError.Reason.NOT_FOUND, CommandResolver.check(rootfs, cmd("/bin/nope"), "c1").reason());
        assertEquals(CommandError.Reason.NOT_FOUND, CommandResolver.check(rootfs, cmd("/usr/bin/dangling"), "c1").reason());
        assertEquals("command './x' not found in container c1: no such file",
                CommandResolver.check(rootfs, cmd("./x"), "c1").detail());
    }

    @Test
    void directoriesAndFilesWithoutExecutePermissionAreNotExecutable() {
        CommandResolver.Finding dir = CommandResolver.check(rootfs, cmd("/opt/tools"), "c1");
        assertEquals(CommandError.Reason.NOT_EXECUTABLE, dir.reason());
        assertEquals("command '/opt/tools' in container c1 cannot be executed: it is a directory", dir.detail());
        CommandResolver.Finding text = CommandResolver.check(rootfs, cmd("/opt/tools/notes.txt"), "c1");
        assertEquals("command '/opt/tools/notes.txt' in container c1 cannot be executed: it has no execute permission", text.detail());
        CommandResolver.Finding onPath = CommandResolver.check(rootfs, cmd("data"), "c1");
        assertEquals(CommandError.Reason.NOT_EXECUTABLE, onPath.reason());
        assertTrue(onPath.detail().endsWith("/usr/bin/data it has no execute permission"), onPath.detail());
    }

    @Test
    void resolutionNeverLeavesTheRootfs() throws Exception {
        Files.createSymbolicLink(rootfs.resolve("bin/up"), Path.of("../../../../../etc"));
        assertEquals(rootfs.resolve("etc/passwd"), CommandResolver.resolve(rootfs, "/bin/up/passwd"));
        assertEquals(rootfs.resolve("bin/busybox"), CommandResolver.resolve(rootfs, "/../../bin/sh"));
        Files.createSymbolicLink(rootfs.resolve("loop"), Path.of("/loop"));
        assertNull(CommandResolver.resolve(rootfs, "/loop/x"));
    }
}
