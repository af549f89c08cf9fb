package org.vcj.api;

/** The shim type. vcj has no separate shim process: {@link #NOOP_SHIM}. */
public record ShimType(String name) {
    public static final ShimType NOOP_SHIM = new ShimType("noopShim");
    public static final ShimType KATA_SHIM = new ShimType("kataShim");

    public ShimType {
        if (name == null || name.isBlank()) throw new InvalidConfigException("ShimType", name, "must not be empty; use 'noopShim'");
    }

    @Override
    public String toString() { return name; }
}
