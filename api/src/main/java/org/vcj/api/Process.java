package org.vcj.api;

import java.time.Instant;

/**
 * A process of a container (Kata {@code Process}).
 *
 * @param token     the execution context id, unique per sandbox; the main process's token is its container id
 * @param pid       the process id as the agent sees it
 * @param startTime when it started
 */
public record Process(String token, int pid, Instant startTime) { }
