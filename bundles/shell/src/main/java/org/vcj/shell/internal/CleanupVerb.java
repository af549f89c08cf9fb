package org.vcj.shell.internal;

import java.util.List;

/** {@code cleanup}: removes sandboxes left behind by an interrupted runtime or a dead VM, printing their ids. */
final class CleanupVerb implements Verb {
    /** The full usage text (also the Gogo command's description). */
    static final String USAGE = """
                vcj cleanup
                  Removes sandboxes whose operation was interrupted or whose VM is gone (processes, mounts,
                  files, records), and the VMs of a VM cache server that was killed, and prints the id of each
                  one removed.""";

    @Override public String name() { return "cleanup"; }

    @Override public String summary() { return "remove sandboxes left behind by a crash"; }

    @Override public String usage() { return USAGE; }

    @Override public List<Option> options() { return List.of(); }

    @Override
    public int execute(CommandLine cl, VerbContext ctx) {
        cl.requirePositionals();
        ctx.vc().cleanup().forEach(ctx.io().out()::println);
        return 0;
    }
}
