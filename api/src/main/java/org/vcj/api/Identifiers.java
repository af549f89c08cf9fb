package org.vcj.api;

import java.util.regex.Pattern;

/**
 * The rule for sandbox, container and process ids: 1 to 128 characters from
 * {@code [A-Za-z0-9_.-]}, starting with a letter or digit. An id is used as a directory name
 * and a storage key, so {@code /}, {@code ..} and empty ids are refused.
 */
public interface Identifiers {
    /** Longest accepted id. */
    int MAX_LENGTH = 128;
    /** The accepted form. */
    Pattern PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    /**
     * @param field what the id is, e.g. {@code SandboxConfig.ID}
     * @return the id, unchanged
     * @throws InvalidConfigException naming the field and the value when the id is not acceptable
     */
    static String requireValid(String field, String id) {
        if (id == null || id.isEmpty()) {
            throw new InvalidConfigException(field, id, "an id must not be empty");
        }
        if (id.length() > MAX_LENGTH) {
            throw new InvalidConfigException(field, id, "an id has at most " + MAX_LENGTH + " characters, this one has " + id.length());
        }
        if (!PATTERN.matcher(id).matches() || id.contains("..")) {
            throw new InvalidConfigException(field, id,
                    "an id uses only letters, digits, '_', '.' and '-', starts with a letter or digit and contains no '..'");
        }
        return id;
    }
}
