package org.vcj.api;

import java.time.Instant;
import java.util.Map;

/**
 * A container's status (Kata {@code ContainerStatus}).
 *
 * @param pid      the container's main process id as the agent sees it; 0 when not running
 * @param exitCode the main process's exit code once it has stopped, else {@code null}
 */
public record ContainerStatus(String id, ContainerState state, int pid, Instant startTime, String rootFs,
                              Map<String, String> annotations, Integer exitCode) {
    public ContainerStatus {
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }
}
