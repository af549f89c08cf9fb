package org.vcj.shell.internal;

import java.util.List;

/** {@code kill}: sends a signal to a sandbox's container. */
final class KillVerb implements Verb {
    /** The full usage text (also the Gogo command's description). */
    static final String USAGE = """
                vcj kill ID [SIGNAL]
                  Sends SIGNAL (a name like TERM, KILL, SIGHUP or a number; default TERM) to the container's
                  main process.
                  -a, --all          signal every process of the container
                  --container=CID    the container, when the sandbox has several""";

    @Override public String name() { return "kill"; }

    @Override public String summary() { return "send a signal to a sandbox's container"; }

    @Override public String usage() { return USAGE; }

    @Override public List<Option> options() { return List.of(Option.flag("all", 'a'), Containers.CONTAINER); }

    @Override
    public int execute(CommandLine cl, VerbContext ctx) {
        List<String> p = cl.positionals();
        if (p.isEmpty()) throw new UsageException("missing ID");
        if (p.size() > 2) throw new UsageException("unexpected argument '" + p.get(2) + "'");
        int signal = SignalNames.parse(p.size() == 2 ? p.get(1) : "TERM");
        String id = p.get(0);
        ctx.vc().killContainer(id, Containers.target(ctx.vc(), id, cl), signal, cl.has("all"));
        return 0;
    }
}
