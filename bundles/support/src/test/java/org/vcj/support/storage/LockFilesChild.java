package org.vcj.support.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.vcj.api.storage.MetadataLock;

/**
 * Another process for {@link LockFilesTest}: {@code LockFilesChild <locksDir> hold <key> <millis>} prints
 * {@code locked} and holds the lock; {@code ... count <key> <rounds> <file>} increments the number in {@code file}
 * under the lock, {@code rounds} times, with a read-pause-write that would lose updates without mutual exclusion.
 */
public final class LockFilesChild {
    private LockFilesChild() {
    }

    public static void main(String[] args) throws Exception {
        LockFiles locks = new LockFiles(Path.of(args[0]));
        String key = args[2];
        if (args[1].equals("hold")) {
            try (MetadataLock l = locks.lock(key, Duration.ofSeconds(30))) {
                System.out.println("locked");
                System.out.flush();
                Thread.sleep(Long.parseLong(args[3]));
            }
        } else {
            Path file = Path.of(args[4]);
            for (int i = 0; i < Integer.parseInt(args[3]); i++) {
                try (MetadataLock l = locks.lock(key, Duration.ofSeconds(30))) {
                    int v = Integer.parseInt(Files.readString(file).trim());
                    Thread.onSpinWait();
                    Files.writeString(file, Integer.toString(v + 1));
                }
            }
        }
        System.exit(0);
    }
}
