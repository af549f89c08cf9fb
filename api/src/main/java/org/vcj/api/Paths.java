package org.vcj.api;

/** Checks for host and guest paths given in configs: absolute, normalised, without {@code ..} segments. */
interface Paths {
    static String requireAbsolute(String field, String path) {
        if (path == null || !path.startsWith("/")) {
            throw new InvalidConfigException(field, path, "must be an absolute path");
        }
        for (String seg : path.split("/")) {
            if (seg.equals("..")) throw new InvalidConfigException(field, path, "must not contain '..'");
        }
        if (path.indexOf('\0') >= 0) throw new InvalidConfigException(field, path, "must not contain NUL");
        return path;
    }
}
