package org.vcj.shell.internal;

import java.io.InputStream;
import java.io.PrintStream;

/**
 * The streams a verb talks through.
 *
 * @param in            relayed to a container's stdin by {@code run} and {@code exec}
 * @param out           the verb's output, and a container's stdout
 * @param err           diagnostics, and a container's stderr
 * @param stdinBlocking whether the stdin relay may block in {@code in.read()}: true for the CLI (the JVM ends
 *                      with the command); false for an interactive Gogo keyboard, whose unread input must stay
 *                      with the shell once the process has ended (then stdin is relayed without EOF)
 */
record Io(InputStream in, PrintStream out, PrintStream err, boolean stdinBlocking) { }
