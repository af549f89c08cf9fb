package org.vcj.core.internal;

/**
 * Named points in the sandbox flows where a test can halt the JVM as {@code kill -9} would: set the system
 * property {@code vcj.test.crashAt} to a point's name. Used by the crash-safety harness to prove that whatever
 * state a killed runtime leaves can be listed, reattached or cleaned up by the next one. Inert otherwise.
 */
final class CrashPoints {

    static final String PROPERTY = "vcj.test.crashAt";

    private CrashPoints() { }

    static void reach(String point) {
        if (point.equals(System.getProperty(PROPERTY))) {
            System.err.println("vcj: halting at crash point " + point);
            System.err.flush();
            Runtime.getRuntime().halt(137);
        }
    }
}
