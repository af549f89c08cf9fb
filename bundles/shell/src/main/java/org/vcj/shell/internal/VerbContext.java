package org.vcj.shell.internal;

import java.util.function.UnaryOperator;
import org.vcj.api.VC;

/**
 * What a verb runs with.
 *
 * @param vc         the runtime
 * @param properties framework properties ({@code vcj.rootfs}, {@code vcj.hypervisor}); returns null when unset
 * @param io         the streams
 * @param hooks      where a verb registers clean-up to run if the JVM is shut down (Ctrl-C) mid-verb
 */
record VerbContext(VC vc, UnaryOperator<String> properties, Io io, ShutdownHooks hooks) { }
