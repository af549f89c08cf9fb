package org.vcj.shell.internal;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.vcj.api.CommandNotRunnableException;
import org.vcj.api.VC;
import org.vcj.api.VcException;

/**
 * The one implementation of the verbs behind both the CLI ({@link CliMain}) and Gogo ({@link GogoCommands}):
 * picks the verb, runs it and maps failures to exit statuses:
 * 0 ok, 1 a {@link VcException} ({@code vcj: <message>} on stderr) or an internal error (one line on stderr, the
 * stack trace in the log file), 2 a usage error (the message and the verb's usage on stderr), 126/127 a command
 * that is not executable / not found ({@link CommandNotRunnableException}), 130 interrupted. Thread-safe.
 */
final class VerbDispatcher {
    /** Exit status of a usage error. */
    static final int USAGE = 2;
    private static final System.Logger LOG = System.getLogger(VerbDispatcher.class.getName());
    /** Framework property naming the log file (set by the launcher). */
    static final String LOG_FILE_PROPERTY = "vcj.log.file";

    private final Map<String, Verb> verbs;
    private final VC vc;
    private final UnaryOperator<String> properties;
    private final ShutdownHooks hooks;

    VerbDispatcher(VC vc, UnaryOperator<String> properties, ShutdownHooks hooks) {
        this.vc = vc;
        this.properties = properties;
        this.hooks = hooks;
        Map<String, Verb> m = new LinkedHashMap<>();
        for (Verb v : List.of(new RunVerb(), new ListVerb(), new StatusVerb(), new ExecVerb(), new PsVerb(), new KillVerb(),
                SandboxOpVerb.pause(), SandboxOpVerb.resume(), new StatsVerb(), new UpdateVerb(), new DeviceVerb(), SandboxOpVerb.stop(), new DeleteVerb(),
                new CleanupVerb(), new FactoryVerb(), new MonitorVerb(), new NetworkVerb(), new CheckVerb(), new EnvVerb())) {
            m.put(v.name(), v);
        }
        m.put("help", new HelpVerb(Collections.unmodifiableMap(m)));
        this.verbs = Collections.unmodifiableMap(m);
    }

    /** The verbs by name, in help order. */
    Map<String, Verb> verbs() { return verbs; }

    /**
     * The CLI: {@code VERB [ARGS...]}, or {@code --help}. The global options ({@code --root}, {@code --storage}) stand
     * before the verb on the command line; the launcher parses them (its {@code GlobalOptions}, the one parser) and
     * hands over only what follows them, so an option here, before the verb, is one the launcher does not know.
     */
    int main(String[] args, Io io) {
        if (args.length == 0) return usageError("missing VERB", HelpVerb.overview(verbs), io);
        String first = args[0];
        if (first.equals("--help") || first.equals("-h")) return execute("help", List.of(), io);
        if (first.startsWith("-")) return usageError("unknown global option '" + first + "'", HelpVerb.overview(verbs), io);
        return execute(first, Arrays.asList(args).subList(1, args.length), io);
    }

    /** Runs one verb with its arguments (Gogo's entry point). */
    int execute(String verbName, List<String> args, Io io) {
        Verb verb = verbs.get(verbName);
        if (verb == null) return usageError("unknown verb '" + verbName + "'", HelpVerb.overview(verbs), io);
        if (!args.isEmpty() && (args.get(0).equals("--help") || args.get(0).equals("-h"))) {
            io.out().println(verb.usage());
            return 0;
        }
        try {
            CommandLine cl = CommandLine.parse(args, verb.options(), verb.fixedPositionals());
            return verb.execute(cl, new VerbContext(vc, properties, io, hooks));
        } catch (UsageException e) {
            return usageError("vcj " + verb.name() + ": " + e.getMessage(), verb.usage() + "\n", io);
        } catch (CommandNotRunnableException e) {
            io.err().println("vcj: " + e.getMessage());
            return e.exitStatus();
        } catch (VcException e) {
            LOG.log(System.Logger.Level.DEBUG, "vcj " + verbName + " failed", e);
            io.err().println("vcj: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            io.err().println("vcj: interrupted");
            return 130;
        } catch (RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.ERROR, "vcj " + verbName + " failed", e);
            String log = properties.apply(LOG_FILE_PROPERTY);
            io.err().println("vcj: internal error: " + e.toString().replaceAll("\\s*\\R\\s*", " ")
                    + (log == null || log.isEmpty() ? "" : "; details in " + log));
            return 1;
        } finally {
            io.out().flush();
            io.err().flush();
        }
    }

    private static int usageError(String message, String usage, Io io) {
        io.err().println(message.startsWith("vcj") ? message : "vcj: " + message);
        io.err().print(usage);
        io.err().flush();
        return USAGE;
    }
}
