package org.vcj.shell.internal;

import java.util.List;
import org.vcj.api.InvalidStateException;
import org.vcj.api.SandboxState;
import org.vcj.api.SandboxStatus;

/** {@code delete}: removes a sandbox that is not running; {@code --force} stops it first. */
final class DeleteVerb implements Verb {
    /** The full usage text (also the Gogo command's description). */
    static final String USAGE = """
                vcj delete ID [--force]
                  Deletes a sandbox that is not running or paused (its VM, files and records).
                  -f, --force        stop it first (killing its containers) if it runs""";

    @Override public String name() { return "delete"; }

    @Override public String summary() { return "delete a sandbox"; }

    @Override public String usage() { return USAGE; }

    @Override public List<Option> options() { return List.of(Option.flag("force", 'f')); }

    @Override
    public int execute(CommandLine cl, VerbContext ctx) {
        String id = cl.requirePositionals("ID").get(0);
        SandboxStatus s = ctx.vc().statusSandbox(id);
        boolean live = s.state() == SandboxState.RUNNING || s.state() == SandboxState.PAUSED;
        if (live && !cl.has("force")) {
            throw new InvalidStateException(id, s.state(), "delete",
                    "ready, stopped; stop it first or use delete --force");
        }
        if (live) ctx.vc().stopSandbox(id, true);
        ctx.vc().deleteSandbox(id);
        return 0;
    }
}
