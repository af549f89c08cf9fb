package org.vcj.storage.leveldb.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.vcj.api.InvalidConfigException;

/** The component's activation: a bad {@code openTimeoutMillis} fails it with key and value, and opens nothing. */
class LevelDbMetadataStorageTest {
    @TempDir
    Path root;

    private static BundleContext noFrameworkProperties() {
        return (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> null);
    }

    @Test
    void aBadOpenTimeoutFailsTheActivationNamingKeyAndValue() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> new LevelDbMetadataStorage(
                noFrameworkProperties(), Map.of("root", root.toString(), "openTimeoutMillis", "ten seconds")));
        assertEquals(LevelDbMetadataStorage.PID + " openTimeoutMillis", e.field());
        assertEquals("ten seconds", e.value());
        assertFalse(Files.exists(root.resolve("leveldb")), "nothing opened");
    }

    @Test
    void aGoodConfigurationGivesAWorkingStorage() {
        LevelDbMetadataStorage s = new LevelDbMetadataStorage(noFrameworkProperties(),
                Map.of("root", root.toString(), "openTimeoutMillis", 2000L));
        s.save("sandbox/x", "v".getBytes(StandardCharsets.UTF_8));
        assertEquals("v", new String(s.load("sandbox/x").orElseThrow(), StandardCharsets.UTF_8));
    }
}
