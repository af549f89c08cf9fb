package org.vcj.core.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.vcj.api.InvalidConfigException;

/** Sandbox annotations set by a caller: checked, then merged into the saved ones (Kata's SetAnnotations). */
final class AnnotationMerge {

    private AnnotationMerge() { }

    /** The caller's annotations; a null map, key or value, or an empty key, is refused before anything is saved. */
    static Map<String, String> validated(String sandboxId, Map<String, String> annotations) {
        if (annotations == null) {
            throw new InvalidConfigException("annotations", null, "give a map of annotations to merge into sandbox " + sandboxId);
        }
        Map<String, String> copy = new LinkedHashMap<>();
        // A Map may refuse get/contains of null, so walk the entries.
        for (Map.Entry<String, String> e : annotations.entrySet()) {
            if (e.getKey() == null || e.getKey().isEmpty()) {
                throw new InvalidConfigException("annotation key", String.valueOf(e.getKey()),
                        "annotation keys of sandbox " + sandboxId + " must be non-empty strings");
            }
            if (e.getValue() == null) {
                throw new InvalidConfigException("annotation " + e.getKey(), null,
                        "annotation values of sandbox " + sandboxId + " must not be null; use an empty string for an empty value");
            }
            copy.put(e.getKey(), e.getValue());
        }
        return copy;
    }

    /** {@code saved} with every key of {@code add} set to its new value. */
    static Map<String, String> merged(Map<String, String> saved, Map<String, String> add) {
        Map<String, String> out = new LinkedHashMap<>(saved);
        out.putAll(add);
        return out;
    }
}
