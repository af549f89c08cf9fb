package org.vcj.shell.internal;

/**
 * One option a verb accepts: {@code --name}, optionally with a one-letter alias {@code -x}.
 *
 * @param name  long name without dashes
 * @param alias one-letter short name ({@code 0} for none)
 * @param kind  whether it is a flag, takes one value, or may repeat
 */
record Option(String name, char alias, Kind kind) {
    /** How an option takes values. */
    enum Kind { FLAG, VALUE, REPEATED }

    static Option flag(String name, char alias) { return new Option(name, alias, Kind.FLAG); }

    static Option flag(String name) { return flag(name, (char) 0); }

    static Option value(String name) { return new Option(name, (char) 0, Kind.VALUE); }

    static Option repeated(String name, char alias) { return new Option(name, alias, Kind.REPEATED); }

    boolean takesValue() { return kind != Kind.FLAG; }
}
