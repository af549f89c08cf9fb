package org.vcj.shell.internal;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.vcj.api.ContainerStatus;
import org.vcj.api.SandboxStatus;

/** {@code list}: one aligned line per sandbox. */
final class ListVerb implements Verb {
    /** The full usage text (also the Gogo command's description). */
    static final String USAGE = """
                vcj list
                  Prints a header, then one line per sandbox: ID, STATE, HYPERVISOR, CONTAINERS, CREATED (UTC).""";

    @Override public String name() { return "list"; }

    @Override public String summary() { return "list sandboxes"; }

    @Override public String usage() { return USAGE; }

    @Override public List<Option> options() { return List.of(); }

    @Override
    public int execute(CommandLine cl, VerbContext ctx) {
        cl.requirePositionals();
        Tables t = new Tables("ID", "STATE", "HYPERVISOR", "CONTAINERS", "CREATED");
        ctx.vc().listSandbox().stream().sorted(Comparator.comparing(SandboxStatus::id))
                .forEach(s -> t.row(s.id(), s.state(), s.hypervisor(), s.containersStatus().size(), Formats.time(created(s))));
        ctx.io().out().print(t.render());
        return 0;
    }

    /** The creation time {@code run} annotated, else the earliest container start, else null. */
    static Instant created(SandboxStatus s) {
        String a = s.annotations().get(RunVerb.CREATED_ANNOTATION);
        if (a != null) {
            try {
                return Instant.parse(a);
            } catch (DateTimeParseException ignored) {
                // not ours: fall back to the containers
            }
        }
        return s.containersStatus().stream().map(ContainerStatus::startTime).filter(Objects::nonNull)
                .min(Comparator.naturalOrder()).orElse(null);
    }
}
