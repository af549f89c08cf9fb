package org.vcj.shell.internal;

import java.util.List;
import org.apache.felix.service.command.Descriptor;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vcj.api.VC;

/**
 * The Gogo commands {@code vc:run}, {@code vc:list} ... : the CLI verbs with the same options, run by the
 * same {@link VerbDispatcher} on the Gogo pipe's streams. Success returns nothing; a non-zero exit status
 * throws {@link CommandFailedException} (so {@code gogo -c} and {@code &&} see the failure) after setting
 * the session variable {@code vcj.status}. Only {@link GogoStreams} touches Gogo runtime types, so the
 * bundle also works without Gogo. Thread-safe.
 */
@Component(service = GogoCommands.class, configurationPid = Settings.PID, property = {
        "osgi.command.scope=vc",
        "osgi.command.function=run", "osgi.command.function=list", "osgi.command.function=status",
        "osgi.command.function=exec", "osgi.command.function=ps", "osgi.command.function=kill",
        "osgi.command.function=pause", "osgi.command.function=resume", "osgi.command.function=stats", "osgi.command.function=update", "osgi.command.function=device",
        "osgi.command.function=stop", "osgi.command.function=delete", "osgi.command.function=cleanup",
        "osgi.command.function=factory", "osgi.command.function=monitor", "osgi.command.function=completions",
        "osgi.command.function=network", "osgi.command.function=check", "osgi.command.function=env"})
public final class GogoCommands {
    private static final String ARGS = "options and arguments, as for the vcj command line";
    /** {@code vc:factory-init} ... : Gogo commands whose names are no method names, registered as Functions. */
    static final List<String> FACTORY_ACTIONS = List.of("init", "status", "destroy", "serve");
    private final VerbDispatcher dispatcher;
    private List<org.osgi.framework.ServiceRegistration<?>> functions = List.of();

    /** DS constructor injection: the runtime and the bundle context for framework properties. */
    @Activate
    public GogoCommands(@Reference VC vc, BundleContext context, Map<String, Object> config) {
        this(new VerbDispatcher(vc, Settings.of(config, context), ShutdownHooks.RUNTIME));
        try {
            functions = GogoStreams.registerFunctions(context, "vc", FACTORY_ACTIONS.stream().map(a -> "factory-" + a).toList(),
                    (name, args) -> call("factory", prepend(name.substring("factory-".length()), args)));
        } catch (LinkageError noGogo) {
            // without Gogo there is no shell to offer them in
        }
    }

    @org.osgi.service.component.annotations.Deactivate
    void deactivate() {
        for (org.osgi.framework.ServiceRegistration<?> r : functions) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregistered it with the bundle
            }
        }
    }

    GogoCommands(VerbDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Descriptor(RunVerb.USAGE)
    public void run(@Descriptor(ARGS) String... args) { call("run", args); }

    @Descriptor(ListVerb.USAGE)
    public void list(@Descriptor(ARGS) String... args) { call("list", args); }

    @Descriptor(StatusVerb.USAGE)
    public void status(@Descriptor(ARGS) String... args) { call("status", args); }

    @Descriptor(ExecVerb.USAGE)
    public void exec(@Descriptor(ARGS) String... args) { call("exec", args); }

    @Descriptor(PsVerb.USAGE)
    public void ps(@Descriptor(ARGS) String... args) { call("ps", args); }

    @Descriptor(KillVerb.USAGE)
    public void kill(@Descriptor(ARGS) String... args) { call("kill", args); }

    @Descriptor(SandboxOpVerb.PAUSE_USAGE)
    public void pause(@Descriptor(ARGS) String... args) { call("pause", args); }

    @Descriptor(SandboxOpVerb.RESUME_USAGE)
    public void resume(@Descriptor(ARGS) String... args) { call("resume", args); }

    @Descriptor(StatsVerb.USAGE)
    public void stats(@Descriptor(ARGS) String... args) { call("stats", args); }
    @Descriptor(UpdateVerb.USAGE)
    public void update(@Descriptor(ARGS) String... args) { call("update", args); }

    @Descriptor(DeviceVerb.USAGE)
    public void device(@Descriptor(ARGS) String... args) { call("device", args); }

    @Descriptor(SandboxOpVerb.STOP_USAGE)
    public void stop(@Descriptor(ARGS) String... args) { call("stop", args); }

    @Descriptor(DeleteVerb.USAGE)
    public void delete(@Descriptor(ARGS) String... args) { call("delete", args); }

    @Descriptor(FactoryVerb.USAGE)
    public void factory(@Descriptor(ARGS) String... args) { call("factory", args); }

    @Descriptor(MonitorVerb.USAGE)
    public void monitor(@Descriptor(ARGS) String... args) { call("monitor", args); }

    private static String[] prepend(String first, String... rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    @Descriptor(NetworkVerb.USAGE)
    public void network(@Descriptor(ARGS) String... args) { call("network", args); }

    @Descriptor(CheckVerb.USAGE)
    public void check(@Descriptor(ARGS) String... args) { call("check", args); }

    @Descriptor(EnvVerb.USAGE)
    public void env(@Descriptor(ARGS) String... args) { call("env", args); }

    @Descriptor(CleanupVerb.USAGE)
    public void cleanup(@Descriptor(ARGS) String... args) { call("cleanup", args); }

    /** Registers completion of every vc:* command and option in the calling session (gogo.jline's complete). */
    @Descriptor("teaches this shell session to complete the vc:* commands and their options (the vcj profile runs it)")
    public void completions() {
        GogoStreams.execute(GogoCompletionScript.lines(dispatcher.verbs()));
    }

    /** Runs the verb on the Gogo pipe's streams (the System streams, which Gogo redirects, outside a pipe). */
    void call(String verb, String[] args) {
        Io io = gogoIo();
        int status = dispatcher.execute(verb, args == null ? List.of() : List.of(args), io);
        recordStatus(status);
        if (status != 0) throw new CommandFailedException("vc:" + verb, status);
    }

    private static Io gogoIo() {
        try {
            Io io = GogoStreams.current();
            if (io != null) return io;
        } catch (LinkageError noGogo) {
            // Gogo is not installed: fall back to the System streams
        }
        return new Io(System.in, System.out, System.err, false);
    }

    private static void recordStatus(int status) {
        try {
            GogoStreams.status(status);
        } catch (LinkageError noGogo) {
            // no session to record it in
        }
    }
}
