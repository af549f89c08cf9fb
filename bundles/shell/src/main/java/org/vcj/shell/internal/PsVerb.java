package org.vcj.shell.internal;

import java.util.List;
import org.vcj.api.ProcessList;
import org.vcj.api.ProcessListOptions;

/** {@code ps}: the processes of a sandbox's container: {@code ps -ef} columns the agent reads from /proc, or the agent's {@code ps PS-ARGS} limited to the container. */
final class PsVerb implements Verb {
    /** The full usage text (also the Gogo command's description). */
    static final String USAGE = """
                vcj ps ID [OPTIONS] [-- PS-ARGS...]
                  Prints the container's processes (ps -ef unless PS-ARGS are given).
                  --format=table|json  output format (default: table)
                  --container=CID      the container, when the sandbox has several""";

    @Override public String name() { return "ps"; }

    @Override public String summary() { return "list the processes of a sandbox's container"; }

    @Override public String usage() { return USAGE; }

    @Override public List<Option> options() { return List.of(Option.value("format"), Containers.CONTAINER); }

    @Override public int fixedPositionals() { return 1; }

    @Override
    public int execute(CommandLine cl, VerbContext ctx) {
        String id = cl.requirePositionals("ID").get(0);
        String format = cl.get("format", "table");
        if (!format.equals("table") && !format.equals("json")) throw new UsageException("--format must be table or json");
        String cid = Containers.target(ctx.vc(), id, cl);
        ProcessList list = ctx.vc().processListContainer(id, cid, new ProcessListOptions(format, cl.command()));
        byte[] bytes = list.output();
        ctx.io().out().write(bytes, 0, bytes.length);
        ctx.io().out().flush();
        return 0;
    }
}
