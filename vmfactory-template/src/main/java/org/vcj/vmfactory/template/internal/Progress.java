package org.vcj.vmfactory.template.internal;

/** Progress of slow work for a person at a terminal: printed on stderr when there is a console, else only logged. */
final class Progress {

    private static final System.Logger LOG = System.getLogger("org.vcj.vmfactory.template");

    private Progress() { }

    static void say(String message) {
        LOG.log(System.Logger.Level.INFO, message);
        if (System.console() != null) System.err.println("vcj: " + message);
    }
}
