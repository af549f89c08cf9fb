package org.vcj.api;

import java.time.Instant;
import java.util.Map;

/**
 * A container's status (Kata {@code ContainerStatus}).
 *
 * @param pid      the container's main process id as the agent sees it; 0 when not running
 * @param exitCode the main process's exit code (128+N when killed by signal N) once it has stopped and its exit
 *                 was observed; {@code null} while it has not stopped, and for a stopped container whose exit nobody
 *                 saw (its VM or agent died first, or it did not end within the grace periods of a stop): then the
 *                 exit is unknown, never guessed
 */
public record ContainerStatus(String id, ContainerState state, int pid, Instant startTime, String rootFs,
                              Map<String, String> annotations, Integer exitCode) {
    public ContainerStatus {
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }
}
