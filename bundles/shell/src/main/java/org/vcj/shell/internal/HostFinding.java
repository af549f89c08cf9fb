package org.vcj.shell.internal;

/**
 * One line of {@code vcj check}: what was looked at, what was found, and whether a QEMU sandbox can run with it.
 *
 * @param name     what was checked ({@code qemu}, {@code guest kernel} ...)
 * @param ok       whether it is there and usable
 * @param required whether a QEMU sandbox needs it (a missing optional item only limits what else works)
 * @param detail   what was found and, when not ok, why not and what to do
 */
record HostFinding(String name, boolean ok, boolean required, String detail) {

    static HostFinding needed(String name, boolean ok, String detail) {
        return new HostFinding(name, ok, true, detail);
    }

    static HostFinding optional(String name, boolean ok, String detail) {
        return new HostFinding(name, ok, false, detail);
    }

    /** {@code ok}, {@code FAIL} (required and missing) or {@code warn} (optional and missing), then name and detail. */
    String line() {
        return String.format("%-4s %-19s %s", ok ? "ok" : required ? "FAIL" : "warn", name, detail);
    }
}
