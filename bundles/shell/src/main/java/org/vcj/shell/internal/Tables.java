package org.vcj.shell.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Left-aligned text columns separated by two spaces; the last column is not padded, so lines
 * have no trailing blanks. Not thread-safe.
 */
final class Tables {
    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    Tables(String... header) {
        this.columns = header.length;
        rows.add(header.clone());
    }

    /** Adds a row; {@code null} cells print as {@code -}. */
    Tables row(Object... cells) {
        if (cells.length != columns) throw new IllegalArgumentException("row has " + cells.length + " cells, table has " + columns);
        String[] r = new String[columns];
        for (int i = 0; i < columns; i++) r[i] = cells[i] == null ? "-" : String.valueOf(cells[i]);
        rows.add(r);
        return this;
    }

    /** The table, one line per row, each ending with a newline. */
    String render() {
        int[] width = new int[columns];
        for (String[] r : rows) {
            for (int i = 0; i < columns; i++) width[i] = Math.max(width[i], r[i].length());
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(r[i]);
                if (i < columns - 1) line.append(" ".repeat(width[i] - r[i].length() + 2));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }
}
