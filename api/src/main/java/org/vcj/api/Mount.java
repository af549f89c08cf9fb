package org.vcj.api;

import java.util.List;

/**
 * A container mount. For a bind mount ({@code type} {@code bind}), {@code source} is a host path that
 * the runtime shares into the VM; for other types ({@code tmpfs}, {@code proc} ...) it is passed as is.
 *
 * @param hostPath set by the runtime: the host side path of a shared bind mount
 */
public record Mount(String source, String destination, String type, List<String> options, String hostPath, boolean readOnly) {
    public Mount {
        Paths.requireAbsolute("Mount.Destination", destination);
        type = type == null || type.isEmpty() ? "bind" : type;
        source = source == null ? "" : source;
        if (type.equals("bind")) Paths.requireAbsolute("Mount.Source", source);
        options = options == null ? List.of() : List.copyOf(options);
        hostPath = hostPath == null ? "" : hostPath;
    }

    /** A bind mount of a host path. */
    public static Mount bind(String hostSource, String destination, boolean readOnly) {
        return new Mount(hostSource, destination, "bind", List.of("rbind"), "", readOnly);
    }

    public boolean isBind() { return type.equals("bind"); }
}
