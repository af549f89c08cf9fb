package org.vcj.api;

/** Information any proxy needs to be initialised. */
public record ProxyConfig(String path, boolean debug) {
    public static final ProxyConfig NONE = new ProxyConfig("", false);

    public ProxyConfig {
        path = path == null ? "" : path;
    }
}
