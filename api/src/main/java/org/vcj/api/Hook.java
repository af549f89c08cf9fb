package org.vcj.api;

import java.util.List;

/** An OCI hook run on the host: program path, argv, environment ({@code K=V}), timeout in seconds (0: 60 s). */
public record Hook(String path, List<String> args, List<String> env, int timeout) {
    public Hook {
        Paths.requireAbsolute("Hook.Path", path);
        args = args == null ? List.of() : List.copyOf(args);
        env = env == null ? List.of() : List.copyOf(env);
        if (timeout < 0) throw new InvalidConfigException("Hook.Timeout", String.valueOf(timeout), "must not be negative");
    }
}
