package org.vcj.api;

import java.util.List;

/** Options of a process listing: format {@code table} or {@code json}; ps(1) args ({@code -ef} when empty). */
public record ProcessListOptions(String format, List<String> args) {
    public static final ProcessListOptions TABLE = new ProcessListOptions("table", List.of());

    public ProcessListOptions {
        format = format == null || format.isEmpty() ? "table" : format;
        if (!format.equals("table") && !format.equals("json")) {
            throw new InvalidConfigException("ProcessListOptions.Format", format, "must be table or json");
        }
        args = args == null ? List.of() : List.copyOf(args);
    }
}
