package org.vcj.agent.internal;

/**
 * A tiny streaming JSON writer (the agent stays free of JSON libraries).
 * Not thread-safe; one instance builds one document.
 */
public final class JsonWriter {
    private final StringBuilder out = new StringBuilder(1024);
    private boolean needComma;

    /** Starts an object; as a value of a field when {@code name} is not null. */
    public JsonWriter beginObject(String name) {
        prefix(name);
        out.append('{');
        needComma = false;
        return this;
    }

    /** Ends the current object. */
    public JsonWriter endObject() {
        out.append('}');
        needComma = true;
        return this;
    }

    /** Starts an array; as a value of a field when {@code name} is not null. */
    public JsonWriter beginArray(String name) {
        prefix(name);
        out.append('[');
        needComma = false;
        return this;
    }

    /** Ends the current array. */
    public JsonWriter endArray() {
        out.append(']');
        needComma = true;
        return this;
    }

    /** Writes a string value (field when {@code name} is not null). */
    public JsonWriter value(String name, String value) {
        prefix(name);
        if (value == null) {
            out.append("null");
        } else {
            quote(value);
        }
        needComma = true;
        return this;
    }

    /** Writes a number value. */
    public JsonWriter value(String name, long value) {
        prefix(name);
        out.append(value);
        needComma = true;
        return this;
    }

    /** Writes a boolean value. */
    public JsonWriter value(String name, boolean value) {
        prefix(name);
        out.append(value);
        needComma = true;
        return this;
    }

    /** Writes an array of strings. */
    public JsonWriter strings(String name, Iterable<String> values) {
        beginArray(name);
        for (String v : values) {
            value(null, v);
        }
        return endArray();
    }

    /**
     * Writes a value as {@link JsonReader} parses it: a {@link java.util.Map} (string keys), an {@link Iterable}, a
     * {@link String}, a {@link Number}, a {@link Boolean} or null.
     */
    public JsonWriter tree(String name, Object value) {
        if (value instanceof java.util.Map<?, ?> m) {
            beginObject(name);
            m.forEach((k, v) -> tree(String.valueOf(k), v));
            return endObject();
        }
        if (value instanceof Iterable<?> l) {
            beginArray(name);
            l.forEach(v -> tree(null, v));
            return endArray();
        }
        if (value instanceof String s) {
            return value(name, s);
        }
        prefix(name);
        if (value instanceof java.math.BigDecimal d) {
            out.append(d.toString());
        } else if (value instanceof Number || value instanceof Boolean || value == null) {
            out.append(value);
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
        needComma = true;
        return this;
    }

    private void prefix(String name) {
        if (needComma) {
            out.append(',');
        }
        if (name != null) {
            quote(name);
            out.append(':');
        }
    }

    private void quote(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
