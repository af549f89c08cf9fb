package org.vcj.support.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vcj.api.InvalidConfigException;

class ConfigValuesTest {
    @Test
    void readsNumbersAndTextAndFallsBackWhenAbsent() {
        assertEquals(7, ConfigValues.positiveLong("p", Map.of("k", 7L), "k", 1));
        assertEquals(7, ConfigValues.positiveLong("p", Map.of("k", 7), "k", 1));
        assertEquals(7, ConfigValues.positiveLong("p", Map.of("k", " 7 "), "k", 1));
        assertEquals(1, ConfigValues.positiveLong("p", Map.of(), "k", 1));
        assertEquals(1, ConfigValues.positiveLong("p", Map.of("k", ""), "k", 1));
        assertEquals(1, ConfigValues.positiveLong("p", null, "k", 1));
    }

    @Test
    void aBadValueNamesPidKeyAndValue() {
        for (Object bad : new Object[] {"soon", "0", -5L, 2.5, "12ms"}) {
            InvalidConfigException e = assertThrows(InvalidConfigException.class,
                    () -> ConfigValues.positiveLong("org.vcj.x", Map.of("openTimeoutMillis", bad), "openTimeoutMillis", 1));
            assertEquals("org.vcj.x openTimeoutMillis", e.field());
            assertEquals(bad.toString(), e.value());
            assertTrue(e.getMessage().contains("whole number above zero"), e.getMessage());
        }
    }
}
