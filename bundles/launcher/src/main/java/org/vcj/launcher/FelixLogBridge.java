package org.vcj.launcher;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/**
 * The framework's own log (bundles that fail to resolve or start, listener errors) sent to
 * {@code java.util.logging}, hence to the log file, instead of Felix's default: printing on stdout.
 */
final class FelixLogBridge extends org.apache.felix.framework.Logger {
    private static final Logger LOG = Logger.getLogger("org.apache.felix.framework");

    @Override
    protected void doLog(Bundle bundle, @SuppressWarnings("rawtypes") ServiceReference sr, int level, String msg, Throwable t) {
        String where = bundle != null ? "[" + bundle.getSymbolicName() + "] " : sr != null ? "[" + sr + "] " : "";
        LOG.log(level(level), where + msg, t);
    }

    static Level level(int felixLevel) {
        return switch (felixLevel) {
            case LOG_ERROR -> Level.SEVERE;
            case LOG_WARNING -> Level.WARNING;
            case LOG_INFO -> Level.INFO;
            default -> Level.FINE;
        };
    }
}
