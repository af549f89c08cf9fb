package org.vcj.shell.internal;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import org.apache.felix.service.command.Function;
import org.apache.felix.service.command.Process;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The streams of the Gogo pipe running the current command. Only this class touches Gogo runtime types,
 * so {@link GogoCommands} loads even when Gogo is absent (the import is optional).
 */
final class GogoStreams {
    /** Session variable holding the last {@code vc:*} command's exit status. */
    static final String STATUS_VARIABLE = "vcj.status";

    private GogoStreams() { }

    /** The current pipe's streams, or null when not called from a Gogo pipe. */
    static Io current() {
        Process p = Process.Utils.current();
        if (p == null) return null;
        return new Io(p.in(), p.out(), p.err(), !p.isTty(0));
    }

    /**
     * Runs each Gogo command line in the calling session (for {@code complete}, which changes the session).
     *
     * @throws IllegalStateException outside a Gogo session, or with the first failing line and its failure
     */
    static void execute(java.util.List<String> lines) {
        Process p = Process.Utils.current();
        if (p == null || p.job() == null || p.job().session() == null) {
            throw new IllegalStateException("vc:completions needs an interactive Gogo session (vcj shell)");
        }
        for (String line : lines) {
            try {
                p.job().session().execute(line);
            } catch (Exception e) {
                throw new IllegalStateException("'" + line + "' failed: " + e.getMessage(), e);
            }
        }
    }

    /** Records the exit status in the session ({@value #STATUS_VARIABLE}) and, when non-zero, on the pipe. */
    static void status(int status) {
        Process p = Process.Utils.current();
        if (p == null) return;
        if (p.job() != null && p.job().session() != null) p.job().session().put(STATUS_VARIABLE, status);
    }

    /**
     * Registers Gogo commands whose names are no Java method names ({@code vc:factory-init} ...): one Function
     * service each, calling {@code body} with the command's arguments as strings. Returns what to unregister.
     */
    static List<ServiceRegistration<?>> registerFunctions(BundleContext context, String scope, List<String> names,
                                                          java.util.function.BiConsumer<String, String[]> body) {
        List<ServiceRegistration<?>> regs = new ArrayList<>();
        for (String name : names) {
            Dictionary<String, Object> props = new Hashtable<>();
            props.put("osgi.command.scope", scope);
            props.put("osgi.command.function", name);
            Function f = (session, arguments) -> {
                body.accept(name, arguments.stream().map(String::valueOf).toArray(String[]::new));
                return null;
            };
            regs.add(context.registerService(Function.class, f, props));
        }
        return regs;
    }
}
