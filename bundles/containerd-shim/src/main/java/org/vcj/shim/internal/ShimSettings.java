package org.vcj.shim.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * What the shim was started with: containerd's flags (parsed once by the launcher and handed over by name) and the
 * service's settings (Config Admin {@code org.vcj}, filled by the launcher from {@code conf/org.vcj.cfg}).
 *
 * @param namespace     the namespace of a task whose calls carry none
 * @param id            the task id ({@code delete})
 * @param bundle        the task's bundle ({@code delete}) or the service's working directory ({@code serve})
 * @param address       containerd's ttrpc address, where events go
 * @param publishBinary the binary that publishes events, empty for none
 * @param socket        where the service serves ({@code serve}), null when not given
 * @param idleTimeout   how long the service lives on without a task ({@code shim.idle.timeout}, seconds; 30 s)
 * @param defaults      the sandbox settings of a task started without a config file of its own
 */
record ShimSettings(String namespace, String id, Path bundle, String address, String publishBinary, Path socket,
                    Duration idleTimeout, TaskSettings defaults) {
    static final String IDLE_TIMEOUT = "shim.idle.timeout";
    static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

    /** The flags by containerd's names (namespace, id, bundle, address, publish-binary, socket) and the settings. */
    static ShimSettings of(Map<String, String> flags, UnaryOperator<String> config) {
        String socket = flags.getOrDefault("socket", "");
        String idle = config.apply(IDLE_TIMEOUT);
        Duration timeout;
        try {
            timeout = idle == null || idle.isBlank() ? DEFAULT_IDLE_TIMEOUT : Duration.ofSeconds(Long.parseLong(idle.trim()));
        } catch (NumberFormatException e) {
            throw new TaskException(TaskException.INVALID_ARGUMENT, IDLE_TIMEOUT + "='" + idle + "' is not a whole number of seconds", e);
        }
        return new ShimSettings(flags.getOrDefault("namespace", "default"), flags.getOrDefault("id", ""),
                Path.of(flags.getOrDefault("bundle", System.getProperty("user.dir"))), flags.getOrDefault("address", ""),
                flags.getOrDefault("publish-binary", ""), socket.isEmpty() ? null : Path.of(socket), timeout,
                TaskSettings.of(config));
    }
}
