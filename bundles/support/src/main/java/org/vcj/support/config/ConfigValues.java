package org.vcj.support.config;

import java.util.Map;
import org.vcj.api.InvalidConfigException;

/** Typed reads of a component's configuration properties. Stateless, thread-safe. */
public final class ConfigValues {
    private ConfigValues() {
    }

    /**
     * The positive whole number under {@code key}, or {@code fallback} when the key is absent or blank.
     *
     * @param pid the configuration pid, named in the error
     * @throws InvalidConfigException naming pid, key and value when the value is not a whole number above zero
     */
    public static long positiveLong(String pid, Map<String, ?> properties, String key, long fallback) {
        Object raw = properties == null ? null : properties.get(key);
        if (raw == null || raw.toString().isBlank()) return fallback;
        if (raw instanceof Number n && (raw instanceof Long || raw instanceof Integer || raw instanceof Short)) {
            return requirePositive(pid, key, raw.toString(), n.longValue());
        }
        try {
            return requirePositive(pid, key, raw.toString(), Long.parseLong(raw.toString().trim()));
        } catch (NumberFormatException e) {
            throw new InvalidConfigException(field(pid, key), raw.toString(),
                    "a whole number above zero is expected; fix it in the configuration of " + pid);
        }
    }

    private static long requirePositive(String pid, String key, String text, long value) {
        if (value > 0) return value;
        throw new InvalidConfigException(field(pid, key), text,
                "a whole number above zero is expected; fix it in the configuration of " + pid);
    }

    private static String field(String pid, String key) {
        return pid + " " + key;
    }
}
