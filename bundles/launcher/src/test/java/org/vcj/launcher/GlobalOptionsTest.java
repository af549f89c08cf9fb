package org.vcj.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GlobalOptionsTest {

    @TempDir Path tmp;

    private GlobalOptions parse(String... args) throws GlobalOptions.UsageError {
        return GlobalOptions.parse(args, Map.of(), true, Map.of());
    }

    @Test
    void aGivenStorageIsRememberedPrivatelyAndLaterCallsUseIt() throws Exception {
        Path root = tmp.resolve("new/root");
        GlobalOptions o = parse("--root=" + root, "--storage=leveldb", "list");
        assertEquals(new GlobalOptions(root, "leveldb", java.util.List.of("list")), o);
        assertEquals("leveldb\n", Files.readString(root.resolve("storage.type")));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("storage.type"))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(root)));
        assertEquals("leveldb", parse("--root", root.toString(), "list").storage());
        assertEquals("leveldb", parse("--root=" + root, "--storage", "leveldb", "list").storage());
    }

    @Test
    void theGlobalOptionsEndAtTheFirstArgumentThatIsNotOneOfThem() throws Exception {
        // an argument of the verb that merely starts with --root is the verb's, not the root
        assertEquals(java.util.List.of("run", "--rootfs=/r", "--", "true"), parse("--root", tmp.toString(), "run", "--rootfs=/r", "--", "true").verbArgs());
        assertEquals(java.util.List.of("--rootless", "list"), parse("--root=" + tmp, "--rootless", "list").verbArgs());
        assertEquals(java.util.List.of(), parse("--root=" + tmp).verbArgs());
        GlobalOptions.UsageError e = assertThrows(GlobalOptions.UsageError.class, () -> parse("--root=" + tmp, "--storage"));
        assertEquals("option --storage needs a value", e.getMessage());
    }

    @Test
    void anotherStorageForAnExistingRootIsAUsageError() throws Exception {
        parse("--root=" + tmp, "--storage=fs", "list");
        GlobalOptions.UsageError e = assertThrows(GlobalOptions.UsageError.class,
                () -> parse("--root=" + tmp, "--storage=leveldb", "list"));
        assertTrue(e.getMessage().contains("uses storage 'fs', not 'leveldb'"), e.getMessage());
        assertEquals("fs\n", Files.readString(tmp.resolve("storage.type")));
    }

    @Test
    void withoutStorageTheDefaultIsFsAndNothingIsWritten() throws Exception {
        assertEquals("fs", parse("--root=" + tmp, "list").storage());
        assertFalse(Files.exists(tmp.resolve("storage.type")));
    }

    @Test
    void aRootWithoutStorageTypeIsKnownByItsLayout() throws Exception {
        Files.createDirectories(tmp.resolve("meta"));
        assertThrows(GlobalOptions.UsageError.class, () -> parse("--root=" + tmp, "--storage=leveldb", "list"));
        assertEquals("fs", parse("--root=" + tmp, "--storage=fs", "list").storage());
        assertEquals("fs\n", Files.readString(tmp.resolve("storage.type")));
    }

    @Test
    void defaultRootIsRunVcjForRootElseTheUserRuntimeDir() throws Exception {
        Path xdg = tmp.resolve("xdg");
        assertEquals(xdg.resolve("vcj"), GlobalOptions.parse(new String[] {"list"}, Map.of("XDG_RUNTIME_DIR", xdg.toString()), false, Map.of()).root());
        assertThrows(GlobalOptions.UsageError.class, () -> GlobalOptions.parse(new String[] {"list"}, Map.of(), false, Map.of()));
        assertThrows(GlobalOptions.UsageError.class, () -> parse("--root=" + tmp.resolve("r"), "--storage=../x", "list"));
    }

    @Test
    void optionsAfterTheVerbBelongToTheVerb() throws Exception {
        GlobalOptions o = parse("--root=" + tmp, "run", "--storage=leveldb", "--", "true");
        assertEquals("fs", o.storage());
        assertFalse(Files.exists(tmp.resolve("storage.type")));
    }
}
