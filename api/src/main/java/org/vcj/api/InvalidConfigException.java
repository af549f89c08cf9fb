package org.vcj.api;

/**
 * A value given by the caller (a config field, an ID, a path, a size) is not acceptable. Nothing was changed. The
 * message quotes the value on one line: line breaks and other control characters in it appear as backslash escapes.
 */
public final class InvalidConfigException extends VcException {
    private static final long serialVersionUID = 1L;
    private final String field;
    private final String value;

    /**
     * @param field  the field or argument, e.g. {@code SandboxConfig.ID}
     * @param value  the rejected value (may be shortened by the caller)
     * @param reason what is wrong and what is accepted instead
     */
    public InvalidConfigException(String field, String value, String reason) {
        super("invalid " + field + " " + quote(value) + ": " + reason, null);
        this.field = field;
        this.value = value;
    }

    private static String quote(String v) {
        if (v == null) return "(null)";
        String s = v.length() > 80 ? v.substring(0, 77) + "..." : v;
        StringBuilder b = new StringBuilder("'");
        for (char c : s.toCharArray()) {
            if (c == '\n') b.append("\\n");
            else if (c == '\r') b.append("\\r");
            else if (c == '\t') b.append("\\t");
            else if (Character.isISOControl(c)) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('\'').toString();
    }

    public String field() { return field; }

    public String value() { return value; }
}
