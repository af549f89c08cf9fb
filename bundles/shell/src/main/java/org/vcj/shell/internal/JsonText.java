package org.vcj.shell.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * JSON of the {@code network} verb's files, read and written with Jackson (copied into this bundle): objects become
 * {@code Map}, arrays {@code List}, numbers {@code Integer}, {@code Long} or {@code Double}, plus String, Boolean
 * and null. Malformed text is a {@link UsageException} saying where. Thread-safe.
 */
final class JsonText {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private JsonText() { }

    static Object parse(String text) {
        try {
            return JSON.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            long at = e.getLocation() == null ? -1 : e.getLocation().getCharOffset();
            throw new UsageException("bad JSON at character " + at + ": " + e.getOriginalMessage());
        }
    }

    /** The JSON text of a value of the types {@link #parse} returns. */
    static String write(Object v) {
        try {
            return JSON.writeValueAsString(v);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + v.getClass().getName() + " as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
