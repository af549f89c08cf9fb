package org.vcj.api;

/** A key/value environment variable of a container process. */
public record EnvVar(String var, String value) {
    public EnvVar {
        if (var == null || var.isEmpty() || var.contains("=") || var.indexOf('\0') >= 0) {
            throw new InvalidConfigException("EnvVar.Var", var, "must be a non-empty name without '=' or NUL");
        }
        value = value == null ? "" : value;
    }
}
