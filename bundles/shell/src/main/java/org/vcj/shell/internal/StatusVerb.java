package org.vcj.shell.internal;

import java.io.PrintStream;
import java.util.List;
import java.util.stream.Collectors;
import org.vcj.api.ContainerState;
import org.vcj.api.ContainerStatus;
import org.vcj.api.SandboxState;
import org.vcj.api.SandboxStatus;

/** {@code status}: a sandbox's state, hypervisor, host pids and containers. */
final class StatusVerb implements Verb {
    /** The full usage text (also the Gogo command's description). */
    static final String USAGE = """
                vcj status ID
                  Prints the sandbox's state (for a paused one, whether its VM is paused or only its containers
                  are frozen), hypervisor, host pids and creation time, then one line per container: ID, STATE,
                  PID (as the agent sees it), EXIT (exit code once stopped; "unknown" when nobody saw it exit),
                  STARTED.""";

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
                .row("STATE", state(s))
                .row("HYPERVISOR", s.hypervisor())
                .row("PIDS", pids.isEmpty() ? "-" : pids)
                .row("CREATED", Formats.time(ListVerb.created(s)))
                .render());
        out.println();
        Tables t = new Tables("CONTAINER", "STATE", "PID", "EXIT", "STARTED");
        for (ContainerStatus c : s.containersStatus()) {
            t.row(c.id(), c.state(), c.pid() == 0 ? "-" : c.pid(), exit(c), Formats.time(c.startTime()));
        }
        out.print(t.render());
        return 0;
    }

    /** The state; a paused sandbox says whether its VM is paused or only its containers are frozen. */
    static String state(SandboxStatus s) {
        if (s.state() != SandboxState.PAUSED) return s.state().toString();
        return s.vmPaused() ? "paused (VM paused)" : "paused (containers frozen; the hypervisor cannot pause the VM)";
    }

    /** The exit code; a stopped container whose exit nobody observed says so. */
    static Object exit(ContainerStatus c) {
        if (c.exitCode() != null) return c.exitCode();
        return c.state() == ContainerState.STOPPED ? "unknown" : null;
    }
}
