package org.vcj.support.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Deleting directory trees. Stateless, thread-safe. */
public final class FileTrees {
    private FileTrees() {
    }

    /**
     * Deletes {@code dir} and everything under it, deepest first; a missing one is fine. Symbolic links are removed,
     * not followed.
     *
     * @throws IOException                  when an entry cannot be removed (what came before it is gone)
     * @throws java.io.UncheckedIOException when the tree changes under the walk in a way it cannot follow
     */
    public static void delete(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
