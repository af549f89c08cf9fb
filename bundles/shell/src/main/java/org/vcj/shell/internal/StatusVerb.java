package org.vcj.shell.internal;

import java.io.PrintStream;
import java.util.List;
import java.util.stream.Collectors;
import org.vcj.api.ContainerStatus;
import org.vcj.api.SandboxStatus;

/** {@code status}: a sandbox's state, hypervisor, host pids and containers. */
final class StatusVerb implements Verb {
    /** The full usage text (also the Gogo command's description). */
    static final String USAGE = """
                vcj status ID
                  Prints the sandbox's state, hypervisor, host pids and creation time, then one line per
                  container: ID, STATE, PID (as the agent sees it), EXIT (exit code once stopped), STARTED.""";

    @Override public String name() { return "status"; }

    @Override public String summary() { return "show a sandbox and its containers"; }

    @Override public String usage() { return USAGE; }

    @Override public List<Option> options() { return List.of(); }

    @Override
    public int execute(CommandLine cl, VerbContext ctx) {
        String id = cl.requirePositionals("ID").get(0);
        SandboxStatus s = ctx.vc().statusSandbox(id);
        PrintStream out = ctx.io().out();
        String pids = s.hypervisorPids().stream().map(String::valueOf).collect(Collectors.joining(" "));
        out.print(new Tables("SANDBOX", s.id())
                .row("STATE", s.state())
                .row("HYPERVISOR", s.hypervisor())
                .row("PIDS", pids.isEmpty() ? "-" : pids)
                .row("CREATED", Formats.time(ListVerb.created(s)))
                .render());
        out.println();
        Tables t = new Tables("CONTAINER", "STATE", "PID", "EXIT", "STARTED");
        for (ContainerStatus c : s.containersStatus()) {
            t.row(c.id(), c.state(), c.pid() == 0 ? "-" : c.pid(), c.exitCode(), Formats.time(c.startTime()));
        }
        out.print(t.render());
        return 0;
    }
}
