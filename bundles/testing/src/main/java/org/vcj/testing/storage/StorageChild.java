package org.vcj.testing.storage;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.vcj.api.storage.MetadataLock;
import org.vcj.api.storage.MetadataStorage;

/**
 * A second process for the contract's cross-process tests:
 * {@code StorageChild <contractSubclass> <root> hold <key> <millis>} or {@code ... save <key> <count>}.
 * Prints {@code locked} / {@code done} on stdout.
 */
public final class StorageChild {
    private StorageChild() {
    }

    public static void main(String[] args) throws Exception {
        java.lang.reflect.Constructor<?> make = Class.forName(args[0]).getDeclaredConstructor();
        make.setAccessible(true);
        Object contract = make.newInstance();
        Method open = MetadataStorageConcurrencyContract.class.getDeclaredMethod("open", Path.class);
        open.setAccessible(true);
        MetadataStorage storage = (MetadataStorage) open.invoke(contract, Path.of(args[1]));
        String key = args[3];
        if (args[2].equals("hold")) {
            try (MetadataLock l = storage.lock(key, Duration.ofSeconds(30))) {
                System.out.println("locked");
                System.out.flush();
                Thread.sleep(Long.parseLong(args[4]));
            }
        } else {
            int count = Integer.parseInt(args[4]);
            for (int i = 0; i < count; i++) {
                storage.save(key, ("child-" + i).getBytes(StandardCharsets.UTF_8));
            }
            System.out.println("done");
        }
        System.exit(0);
    }
}
