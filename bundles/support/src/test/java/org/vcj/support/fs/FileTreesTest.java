package org.vcj.support.fs;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {
    @TempDir
    Path tmp;

    @Test
    void deletesTheTreeButNotWhatItsLinksPointTo() throws Exception {
        Path outside = Files.writeString(Files.createDirectories(tmp.resolve("outside")).resolve("keep"), "x");
        Path dir = Files.createDirectories(tmp.resolve("tree/a/b"));
        Files.writeString(dir.resolve("f"), "y");
        Files.createSymbolicLink(tmp.resolve("tree/link"), outside.getParent());
        FileTrees.delete(tmp.resolve("tree"));
        assertFalse(Files.exists(tmp.resolve("tree"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.exists(outside));
    }

    @Test
    void aMissingTreeIsFine() throws Exception {
        FileTrees.delete(tmp.resolve("absent"));
    }
}
