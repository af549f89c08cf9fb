package org.vcj.hypervisor.qemu.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The little JSON this plugin writes to and reads from QMP: arguments built from maps, objects split out of arrays. */
final class QmpJson {

    private static final Pattern STRING_FIELD = Pattern.compile("\"([a-z0-9-]+)\"\\s*:\\s*\"([^\"]*)\"");

    private QmpJson() {
    }

    /** A JSON object of string, number and boolean values, in the map's order. */
    static String object(Map<String, ?> fields) {
        StringBuilder sb = new StringBuilder("{");
        fields.forEach((k, v) -> {
            if (sb.length() > 1) sb.append(',');
            sb.append(quote(k)).append(':');
            sb.append(v instanceof Number || v instanceof Boolean ? v.toString() : quote(String.valueOf(v)));
        });
        return sb.append('}').toString();
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.append('"').toString();
    }

    /** The top-level objects of the array that follows {@code "return":} in a QMP answer. */
    static List<String> returnedObjects(String answer) {
        List<String> out = new ArrayList<>();
        int start = answer.indexOf('[', answer.indexOf("\"return\""));
        if (start < 0) return out;
        int depth = 0;
        int from = -1;
        boolean inString = false;
        for (int i = start + 1; i < answer.length(); i++) {
            char c = answer.charAt(i);
            if (inString) {
                if (c == '\\') i++;
                else if (c == '"') inString = false;
                continue;
            }
            if (c == '"') inString = true;
            else if (c == '{') {
                if (depth++ == 0) from = i;
            } else if (c == '}') {
                if (--depth == 0) out.add(answer.substring(from, i + 1));
            } else if (c == ']' && depth == 0) break;
        }
        return out;
    }

    /** The value of the string field {@code name} anywhere in {@code json}, or null. */
    static String string(String json, String name) {
        Matcher m = STRING_FIELD.matcher(json);
        while (m.find()) {
            if (m.group(1).equals(name)) return m.group(2);
        }
        return null;
    }

    /** The text of the object field {@code name} (without nested objects inside it), or null. */
    static String innerObject(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*(\\{[^{}]*\\})").matcher(json);
        return m.find() ? m.group(1) : null;
    }
}
