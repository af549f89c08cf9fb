package org.vcj.launcher;

import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code bin/vcj}: starts Felix with the distribution's bundles and runs one CLI command through the
 * {@code Function} service registered with {@code vcj.cli=main}, or a Gogo shell ({@code vcj shell},
 * {@code vcj shell -c 'COMMANDS'}). Every call is a fresh JVM that finds its sandboxes again from metadata.
 */
public final class VcjLauncher {

    private static final long SERVICE_WAIT_MILLIS = 30_000;
    /** System property naming a config file whose settings override conf/org.vcj.cfg (the containerd shim's runtime config). */
    static final String CONF_PROPERTY = "vcj.conf";
    /** The verb served by the containerd shim bundle's service ({@code vcj.cli=containerd-shim}) instead of the CLI's. */
    static final String SHIM_VERB = "containerd-shim";

    private VcjLauncher() { }

    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        System.setProperty("io.grpc.netty.shaded.io.netty.jfr.enabled", "false");
        String home = System.getProperty("vcj.home");
        if (home == null) {
            err.println("vcj: the vcj.home system property is not set; start vcj through bin/vcj");
            return 2;
        }
        GlobalOptions options;
        Map<String, String> settings;
        try {
            settings = VcjSettings.load(Path.of(home, "conf"), System.getProperty(CONF_PROPERTY));
            options = GlobalOptions.parse(args, System.getenv(), "root".equals(System.getProperty("user.name")), settings);
        } catch (GlobalOptions.UsageError e) {
            err.println("vcj: " + e.getMessage());
            return 2;
        }
        Path log = LogFileSetup.install(options.root(), err);
        String[] verb = options.verbArgs().toArray(String[]::new);
        boolean shell = verb.length > 0 && verb[0].equals("shell");
        boolean interactive = shell && verb.length == 1;
        // stdin/stdout not a terminal (piped commands): a plain line console, without JLine's fallback warning
        if (interactive && System.console() == null) System.setProperty("org.jline.terminal.dumb", "true");
        try (EmbeddedFelix felix = new EmbeddedFelix(Path.of(home), options, settings, use(verb, interactive), log)) {
            if (interactive) {
                felix.awaitStop();
                return 0;
            }
            if (shell) return gogo(felix, verb, in, out, err);
            if (verb.length > 0 && verb[0].equals(SHIM_VERB)) return shim(felix, verb, in, out, err);
            return cli(felix, verb, in, out, err);
        } catch (Exception e) {
            java.util.logging.Logger.getLogger("org.vcj.launcher").log(java.util.logging.Level.SEVERE, "cannot start the runtime", e);
            err.println("vcj: cannot start the runtime: " + LogFileSetup.summary(e) + LogFileSetup.details(log));
            return 1;
        }
    }

    /** What the call starts: Gogo for the shell, File Install's watch for the verbs that keep running. */
    static EmbeddedFelix.Use use(String[] verb, boolean interactive) {
        if (interactive) return EmbeddedFelix.Use.INTERACTIVE_SHELL;
        if (verb.length > 0 && verb[0].equals("shell")) return EmbeddedFelix.Use.SHELL_COMMANDS;
        if (verb.length > 0 && (verb[0].equals(SHIM_VERB) || verb[0].equals("monitor"))) return EmbeddedFelix.Use.SERVER;
        if (verb.length > 1 && verb[0].equals("factory") && verb[1].equals("serve")) return EmbeddedFelix.Use.SERVER;
        return EmbeddedFelix.Use.VERB;
    }

    @SuppressWarnings("unchecked")
    private static int cli(EmbeddedFelix felix, String[] args, InputStream in, PrintStream out, PrintStream err) throws Exception {
        Object service = felix.awaitService("(&(objectClass=java.util.function.Function)(vcj.cli=main))", SERVICE_WAIT_MILLIS);
        if (service == null) {
            err.println("vcj: the CLI service did not start within 30 s; is the vcj-shell bundle in bundle/?");
            return 1;
        }
        Object code = ((Function<Object, Object>) service).apply(new Object[] {args, in, out, err});
        return code instanceof Integer i ? i : 1;
    }

    /** {@code containerd-shim ACTION FLAGS}: the containerd shim bundle's service (bin/containerd-shim-vcj-v2 comes here). */
    @SuppressWarnings("unchecked")
    private static int shim(EmbeddedFelix felix, String[] verb, InputStream in, PrintStream out, PrintStream err) throws Exception {
        Object service = felix.awaitService("(&(objectClass=java.util.function.Function)(vcj.cli=" + SHIM_VERB + "))", SERVICE_WAIT_MILLIS);
        if (service == null) {
            err.println("vcj: the containerd shim service did not start within 30 s; is the vcj-containerd-shim bundle in bundle/?");
            return 1;
        }
        ContainerdFlags flags;
        try {
            flags = ContainerdFlags.parse(Arrays.copyOfRange(verb, 1, verb.length));
        } catch (ContainerdFlags.Malformed e) {
            err.println("vcj " + SHIM_VERB + ": " + e.getMessage());
            return 2;
        }
        // containerd's flags, parsed once here, cross into the bundle's class loader as plain strings
        Object code = ((Function<Object, Object>) service).apply(new Object[] {flags.action(), flags.asMap(), in, out, err});
        return code instanceof Integer i ? i : 1;
    }

    /** {@code shell -c 'COMMANDS'}: runs Gogo commands; exits with the failing command's status (vcj.status). */
    private static int gogo(EmbeddedFelix felix, String[] verb, InputStream in, PrintStream out, PrintStream err) throws Exception {
        if (verb.length != 3 || !verb[1].equals("-c")) {
            err.println("usage: vcj shell            (interactive Gogo shell)\n       vcj shell -c 'COMMANDS'");
            return 2;
        }
        Object processor = felix.awaitService("(objectClass=org.apache.felix.service.command.CommandProcessor)", SERVICE_WAIT_MILLIS);
        if (processor == null) {
            err.println("vcj: the Gogo runtime did not start within 30 s");
            return 1;
        }
        Method create = processor.getClass().getMethod("createSession", InputStream.class, java.io.OutputStream.class, java.io.OutputStream.class);
        Object session = create.invoke(processor, in, out, err);
        Method execute = session.getClass().getMethod("execute", CharSequence.class);
        Method get = session.getClass().getMethod("get", String.class);
        try {
            Object result = execute.invoke(session, verb[2]);
            if (result != null) out.println(result);
            return 0;
        } catch (java.lang.reflect.InvocationTargetException e) {
            Object status = get.invoke(session, "vcj.status");
            if (!(status instanceof Integer)) err.println("gogo: " + LogFileSetup.summary(e.getCause() == null ? e : e.getCause()));
            return status instanceof Integer i ? i : 1;
        } finally {
            out.flush();
            session.getClass().getMethod("close").invoke(session);
        }
    }
}
