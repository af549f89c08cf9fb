package org.vcj.api;

/** How the runtime reaches the agent. vcj talks to the agent directly: {@link #NO_PROXY}. */
public record ProxyType(String name) {
    public static final ProxyType NOOP_PROXY = new ProxyType("noopProxy");
    public static final ProxyType NO_PROXY = new ProxyType("noProxy");
    public static final ProxyType KATA_PROXY = new ProxyType("kataProxy");

    public ProxyType {
        if (name == null || name.isBlank()) throw new InvalidConfigException("ProxyType", name, "must not be empty; use 'noProxy'");
    }

    @Override
    public String toString() { return name; }
}
