package org.vcj.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Vector;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.service.log.LogService;

class LogServiceForwarderTest {
    private final List<String> forwarded = Collections.synchronizedList(new ArrayList<>());
    private final Logger target = Logger.getLogger("org.osgi.service.log");
    private final Handler capture = new Handler() {
        @Override public void publish(LogRecord r) {
            forwarded.add(r.getLevel() + " " + r.getMessage() + (r.getThrown() == null ? "" : " / " + r.getThrown().getMessage()));
        }

        @Override public void flush() { }

        @Override public void close() { }
    };
    private final List<LogListener> listeners = new ArrayList<>();

    LogServiceForwarderTest() {
        target.addHandler(capture);
    }

    @AfterEach
    void detach() {
        target.removeHandler(capture);
    }

    @SuppressWarnings("deprecation")
    private static LogEntry entry(int level, String message, Throwable t) {
        Bundle b = (Bundle) Proxy.newProxyInstance(Bundle.class.getClassLoader(), new Class<?>[] {Bundle.class},
                (p, m, a) -> m.getName().equals("getSymbolicName") ? "org.example.plugin" : null);
        return (LogEntry) Proxy.newProxyInstance(LogEntry.class.getClassLoader(), new Class<?>[] {LogEntry.class},
                (p, m, a) -> switch (m.getName()) {
                    case "getLevel" -> level;
                    case "getMessage" -> message;
                    case "getException" -> t;
                    case "getBundle" -> b;
                    default -> null;
                });
    }

    @Test
    @SuppressWarnings("deprecation")
    void warningsAndErrorsReachTheLogFileEarlierOnesToo() {
        Vector<LogEntry> earlier = new Vector<>(List.of(
                entry(LogService.LOG_ERROR, "second: activate failed", new IllegalStateException("bad config")),
                entry(LogService.LOG_INFO, "ServiceEvent REGISTERED", null),
                entry(LogService.LOG_WARNING, "first: could not resolve", null)));   // newest first, as getLog() gives them
        LogReaderService reader = (LogReaderService) Proxy.newProxyInstance(LogReaderService.class.getClassLoader(),
                new Class<?>[] {LogReaderService.class}, (p, m, a) -> switch (m.getName()) {
                    case "getLog" -> earlier.elements();
                    case "addLogListener" -> listeners.add((LogListener) a[0]);
                    case "removeLogListener" -> listeners.remove(a[0]);
                    default -> null;
                });
        LogServiceForwarder f = new LogServiceForwarder(reader);
        assertEquals(List.of(f), listeners);
        listeners.get(0).logged(entry(LogService.LOG_DEBUG, "chatter", null));
        listeners.get(0).logged(entry(LogService.LOG_ERROR, "later: plugin failed", null));
        assertEquals(List.of("WARNING [org.example.plugin] first: could not resolve",
                "SEVERE [org.example.plugin] second: activate failed / bad config",
                "SEVERE [org.example.plugin] later: plugin failed"), forwarded);
        f.stop();
        assertEquals(List.of(), listeners);
    }
}
