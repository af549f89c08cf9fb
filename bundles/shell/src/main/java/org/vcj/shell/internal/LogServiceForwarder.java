package org.vcj.shell.internal;

import java.util.Collections;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.service.log.LogService;

/**
 * Copies the OSGi Log Service's warnings and errors (Declarative Services, File Install: a plugin that does not
 * resolve, a component that fails to activate) to {@code System.Logger}, which the launcher sends to the log file
 * of the state root; without this they stay in the Log Service's memory and are lost when the JVM ends. Entries
 * logged before activation are copied too. Thread-safe.
 */
@Component(service = {}, immediate = true)
public final class LogServiceForwarder implements LogListener {
    private static final System.Logger LOG = System.getLogger("org.osgi.service.log");
    private final LogReaderService reader;

    /** DS constructor injection; registers the listener and copies the entries already logged (oldest first). */
    @Activate
    public LogServiceForwarder(@Reference LogReaderService reader) {
        this.reader = reader;
        @SuppressWarnings("unchecked")
        java.util.List<LogEntry> earlier = Collections.list((java.util.Enumeration<LogEntry>) reader.getLog());
        Collections.reverse(earlier);
        earlier.forEach(this::logged);
        reader.addLogListener(this);
    }

    @Deactivate
    void stop() {
        reader.removeLogListener(this);
    }

    @SuppressWarnings("deprecation")
    @Override
    public void logged(LogEntry e) {
        if (e.getLevel() > LogService.LOG_WARNING) return;
        String who = e.getBundle() == null ? "" : "[" + e.getBundle().getSymbolicName() + "] ";
        LOG.log(e.getLevel() == LogService.LOG_ERROR ? System.Logger.Level.ERROR : System.Logger.Level.WARNING,
                who + e.getMessage(), e.getException());
    }
}
