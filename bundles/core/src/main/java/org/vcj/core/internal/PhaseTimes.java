package org.vcj.core.internal;

import java.lang.System.Logger.Level;

/**
 * Where a sandbox's time goes: one debug record per phase on the logger {@value #LOGGER}
 * ({@code phase <sandbox> <name> <ms> ms}), read by {@code scripts/bench-factory.sh}. The launcher writes it to the
 * log file when {@code -Dvcj.log.debug=org.vcj.timing} is given (e.g. in {@code VCJ_JAVA_OPTS}); otherwise a phase
 * costs one level check. Thread-safe.
 */
final class PhaseTimes {

    /** The logger's name. */
    static final String LOGGER = "org.vcj.timing";
    private static final System.Logger LOG = System.getLogger(LOGGER);

    private PhaseTimes() { }

    /** A clock reading to pass to {@link #since}. */
    static long start() {
        return System.nanoTime();
    }

    /**
     * Logs the phase {@code name} of sandbox {@code id} as lasting from {@code start} until now.
     *
     * @return now, the start of the next phase
     */
    static long since(long start, String id, String name) {
        long now = System.nanoTime();
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, String.format("phase %s %s %.1f ms", id, name, (now - start) / 1e6));
        }
        return now;
    }
}
