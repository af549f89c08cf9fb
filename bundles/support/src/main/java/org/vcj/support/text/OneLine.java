package org.vcj.support.text;

/**
 * Text shown on one line: an error message, a key or a value that came from outside (a file, an RPC) and may hold
 * line breaks or other control characters, which would split a one-line error or forge log lines. Thread-safe.
 */
public final class OneLine {

    private OneLine() { }

    /** {@code text} with line breaks, tabs and other control characters as backslash escapes; null stays null. */
    public static String of(String text) {
        if (text == null) return null;
        StringBuilder b = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c == '\n') b.append("\\n");
            else if (c == '\r') b.append("\\r");
            else if (c == '\t') b.append("\\t");
            else if (Character.isISOControl(c)) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.toString();
    }
}
