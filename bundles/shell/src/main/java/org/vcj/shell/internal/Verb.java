package org.vcj.shell.internal;

import java.util.List;

/** One CLI verb / Gogo command. Implementations are stateless and thread-safe. */
interface Verb {
    /** The verb as typed: {@code run}, {@code list} ... */
    String name();

    /** One line for the verb list. */
    String summary();

    /** The full usage text: synopsis, then one line per option. */
    String usage();

    /** The options it accepts. */
    List<Option> options();

    /** Positionals before the command, or -1 when the verb takes no command (see {@link CommandLine}). */
    default int fixedPositionals() { return -1; }

    /**
     * Runs the verb.
     *
     * @return the exit status
     * @throws UsageException for a command line it cannot accept
     * @throws org.vcj.api.VcException when the runtime refuses or fails
     */
    int execute(CommandLine cl, VerbContext ctx) throws InterruptedException;
}
