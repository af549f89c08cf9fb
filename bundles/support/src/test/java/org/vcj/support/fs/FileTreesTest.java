package org.vcj.support.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FileTrees.delete removes a whole tree, and only it: never what a link in it points to, nor its neighbours. */
class FileTreesTest {
    @TempDir
    Path tmp;

    @Test
    void deletesTheTreeButNotWhatItsLinksPointTo() throws Exception {
        Path outside = Files.writeString(Files.createDirectories(tmp.resolve("outside")).resolve("keep"), "x");
        Path dir = Files.createDirectories(tmp.resolve("tree/a/b"));
        Files.writeString(dir.resolve("f"), "y");
        Files.writeString(tmp.resolve("tree/.hidden"), "z");
        Files.createDirectories(tmp.resolve("tree/empty"));
        Files.createSymbolicLink(tmp.resolve("tree/link"), outside.getParent());
        FileTrees.delete(tmp.resolve("tree"));
        assertFalse(Files.exists(tmp.resolve("tree"), LinkOption.NOFOLLOW_LINKS));
        assertEquals("x", Files.readString(outside), "the link's target and its content are kept");
        assertEquals(List.of("outside"), names(tmp));
    }

    @Test
    void aLinkGivenAsTheTreeIsRemovedNotFollowed() throws Exception {
        Path outside = Files.writeString(Files.createDirectories(tmp.resolve("outside")).resolve("keep"), "x");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), outside.getParent());
        FileTrees.delete(link);
        assertFalse(Files.exists(link, LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.isRegularFile(outside));
    }

    @Test
    void aMissingTreeIsFineAndLeavesItsNeighbours() throws Exception {
        Files.writeString(tmp.resolve("neighbour"), "n");
        FileTrees.delete(tmp.resolve("absent"));
        FileTrees.delete(Files.createSymbolicLink(tmp.resolve("dangling"), tmp.resolve("nowhere")));
        assertEquals(List.of("neighbour"), names(tmp), "nothing else was removed, the dangling link was");
        assertEquals("n", Files.readString(tmp.resolve("neighbour")));
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
