package org.vcj.shell.internal;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.function.Function;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vcj.api.VC;

/**
 * The {@code vcj} command line as a service the launcher calls: {@code java.util.function.Function} with
 * service property {@code vcj.cli=main}. {@link #apply} takes
 * {@code Object[]{String[] args, InputStream in, PrintStream out, PrintStream err}} and returns the exit
 * status as an {@link Integer}. Thread-safe: each call runs independently.
 */
@Component(service = Function.class, property = "vcj.cli=main", configurationPid = Settings.PID)
public final class CliMain implements Function<Object, Object> {
    private final VerbDispatcher dispatcher;

    /** DS constructor injection: the runtime and the bundle context for framework properties. */
    @Activate
    public CliMain(@Reference VC vc, BundleContext context, Map<String, Object> config) {
        this.dispatcher = new VerbDispatcher(vc, Settings.of(config, context), ShutdownHooks.RUNTIME);
    }

    /** For tests: an explicit dispatcher. */
    CliMain(VerbDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    /**
     * @param request {@code Object[]{String[] args, InputStream in, PrintStream out, PrintStream err}}
     * @return the exit status ({@link Integer})
     * @throws IllegalArgumentException when the request does not have that shape
     */
    @Override
    public Object apply(Object request) {
        if (!(request instanceof Object[] a) || a.length != 4 || !(a[0] instanceof String[] args)
                || !(a[1] instanceof InputStream in) || !(a[2] instanceof PrintStream out) || !(a[3] instanceof PrintStream err)) {
            throw new IllegalArgumentException("vcj.cli=main expects Object[]{String[] args, InputStream in, PrintStream out, PrintStream err}");
        }
        return dispatcher.main(args, new Io(in, out, err, true));
    }
}
