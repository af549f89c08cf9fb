package org.vcj.api;

/** A key/value parameter: a kernel parameter ({@code key=value}, or {@code key} alone when value is empty) or a hypervisor argument. */
public record Param(String key, String value) {
    public Param {
        if (key == null || key.isEmpty()) throw new InvalidConfigException("Param.Key", key, "must not be empty");
        value = value == null ? "" : value;
    }

    /** {@code key=value}, or {@code key} when the value is empty. */
    public String render() { return value.isEmpty() ? key : key + "=" + value; }
}
