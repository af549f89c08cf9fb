package org.vcj.vmfactory.template.internal;

import java.util.List;

import org.vcj.support.process.HostProcess;

/** The host processes of a template: its clones (by memory file) and the QEMU of an unfinished build (by directory). */
final class BuildProcesses {

    private static final long EXIT_WAIT_MILLIS = 10_000;

    private BuildProcesses() { }

    /** Live processes whose command line contains {@code text}. */
    static List<HostProcess> mentioning(String text) {
        return HostProcess.mentioning(text);
    }

    /** SIGKILLs every live process whose command line contains {@code text} and waits for each to end. */
    static void kill(String text) {
        for (HostProcess p : HostProcess.mentioning(text)) {
            p.kill();
            p.awaitExit(EXIT_WAIT_MILLIS);
        }
    }
}
