package org.vcj.shell.internal;

import java.util.List;
import org.vcj.api.Cmd;
import org.vcj.api.EnteredProcess;
import org.vcj.api.VcException;

/** {@code exec}: runs a new process in a sandbox's container, relays its stdio and returns its exit code. */
final class ExecVerb implements Verb {
    /** The full usage text (also the Gogo command's description). */
    static final String USAGE = """
                vcj exec ID [OPTIONS] [--] CMD [ARGS...]
                  Runs CMD in the container of sandbox ID, relays stdin/stdout/stderr and exits with CMD's exit code.
                  -t, --tty          allocate a terminal for CMD
                  -e, --env=K=V      environment variable (repeatable; PATH is set by default)
                  --workdir=DIR      working directory inside the container (default: /)
                  --container=CID    the container, when the sandbox has several""";

    @Override public String name() { return "exec"; }

    @Override public String summary() { return "run a command in a running sandbox's container"; }

    @Override public String usage() { return USAGE; }

    @Override public List<Option> options() {
        return List.of(Option.flag("tty", 't'), Option.repeated("env", 'e'), Option.value("workdir"), Containers.CONTAINER);
    }

    @Override public int fixedPositionals() { return 1; }

    @Override
    public int execute(CommandLine cl, VerbContext ctx) throws InterruptedException {
        String id = cl.requirePositionals("ID").get(0);
        if (cl.command().isEmpty()) throw new UsageException("missing CMD");
        Cmd.Builder cmd = Cmd.builder(cl.command()).envs(Containers.env(cl.all("env")))
                .workDir(cl.get("workdir", "/")).interactive(true);
        if (cl.has("tty")) cmd.console("tty");
        String cid = Containers.target(ctx.vc(), id, cl);
        EnteredProcess p = ctx.vc().enterContainer(id, cid, cmd.build());
        String token = p.process().token();
        Runnable kill = () -> {
            try {
                p.sandbox().signalProcess(cid, token, SignalNames.parse("KILL"), false);
            } catch (VcException e) {
                System.getLogger(ExecVerb.class.getName()).log(System.Logger.Level.DEBUG, "kill on shutdown: " + e.getMessage());
            }
        };
        try (ShutdownHooks.Registration hook = ctx.hooks().register("vcj-exec-kill-" + token, kill)) {
            return ProcessAttach.attach(p.sandbox(), cid, token, ctx.io(), true, cl.has("tty") ? ctx.hooks() : null);
        } catch (InterruptedException e) {
            kill.run();
            throw e;
        }
    }
}
