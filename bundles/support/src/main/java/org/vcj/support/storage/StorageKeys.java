package org.vcj.support.storage;

import java.util.ArrayList;
import java.util.List;
import org.vcj.api.Identifiers;
import org.vcj.api.InvalidConfigException;
import org.vcj.api.StorageException;

/**
 * The metadata key rule shared by the storage plugins: {@code /}-separated segments, each a valid
 * {@link Identifiers id}. A bad key is reported as a {@link StorageException} naming the key.
 */
public final class StorageKeys {
    private StorageKeys() {
    }

    /**
     * @param key       the key to check
     * @param operation {@code save}, {@code load} ... (for the error)
     * @return the key's segments
     */
    public static List<String> segments(String key, String operation) {
        if (key == null || key.isEmpty()) {
            throw new StorageException(String.valueOf(key), operation,
                    "a metadata key must not be empty; use segments like 'sandbox/<id>'", null);
        }
        List<String> segments = new ArrayList<>();
        for (String segment : key.split("/", -1)) {
            try {
                Identifiers.requireValid("metadata key segment", segment);
            } catch (InvalidConfigException e) {
                throw new StorageException(key, operation, "bad key: " + e.getMessage()
                        + "; keys are '/'-separated segments like 'sandbox/<id>'", e);
            }
            segments.add(segment);
        }
        return segments;
    }

    /**
     * Checks a key prefix for {@code keys(prefix)}: empty, or a key (possibly ending in {@code /}, the
     * last segment possibly partial) without {@code ..}, leading {@code /} or illegal characters.
     */
    public static String checkPrefix(String prefix) {
        if (prefix == null) {
            throw new StorageException("(null)", "keys", "the prefix must not be null; use \"\" for all keys", null);
        }
        if (prefix.isEmpty()) {
            return prefix;
        }
        if (prefix.startsWith("/") || prefix.contains("//") || prefix.contains("..")
                || !prefix.matches("[A-Za-z0-9_./-]*")) {
            throw new StorageException(prefix, "keys", "bad key prefix: use segments of [A-Za-z0-9_.-] separated by '/'", null);
        }
        return prefix;
    }
}
