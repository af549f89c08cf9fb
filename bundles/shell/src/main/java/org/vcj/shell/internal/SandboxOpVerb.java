package org.vcj.shell.internal;

import java.util.List;
import org.vcj.api.VC;

/** The one-sandbox lifecycle verbs without output: {@code pause}, {@code resume}, {@code stop}. */
final class SandboxOpVerb implements Verb {
    static final String PAUSE_USAGE = "vcj pause ID\n  Pauses the sandbox's VM and every container in it.";
    static final String RESUME_USAGE = "vcj resume ID\n  Resumes a paused sandbox.";
    static final String STOP_USAGE = """
            vcj stop ID [--force]
              Stops every container of the sandbox (TERM, then KILL after a grace period) and its VM.
              -f, --force        kill at once and ignore failures inside the guest""";

    private final String name;
    private final String summary;
    private final String usage;
    private final List<Option> options;
    private final Op op;

    /** The action on the runtime. */
    @FunctionalInterface
    interface Op {
        void apply(VC vc, String sandboxId, CommandLine cl);
    }

    private SandboxOpVerb(String name, String summary, String usage, List<Option> options, Op op) {
        this.name = name;
        this.summary = summary;
        this.usage = usage;
        this.options = options;
        this.op = op;
    }

    static SandboxOpVerb pause() {
        return new SandboxOpVerb("pause", "pause a sandbox", PAUSE_USAGE,
                List.of(), (vc, id, cl) -> vc.pauseSandbox(id));
    }

    static SandboxOpVerb resume() {
        return new SandboxOpVerb("resume", "resume a paused sandbox", RESUME_USAGE,
                List.of(), (vc, id, cl) -> vc.resumeSandbox(id));
    }

    static SandboxOpVerb stop() {
        return new SandboxOpVerb("stop", "stop a sandbox", STOP_USAGE,
                List.of(Option.flag("force", 'f')), (vc, id, cl) -> vc.stopSandbox(id, cl.has("force")));
    }

    @Override public String name() { return name; }

    @Override public String summary() { return summary; }

    @Override public String usage() { return usage; }

    @Override public List<Option> options() { return options; }

    @Override
    public int execute(CommandLine cl, VerbContext ctx) {
        String id = cl.requirePositionals("ID").get(0);
        op.apply(ctx.vc(), id, cl);
        return 0;
    }
}
