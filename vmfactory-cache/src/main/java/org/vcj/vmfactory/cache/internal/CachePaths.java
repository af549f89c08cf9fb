package org.vcj.vmfactory.cache.internal;

import java.nio.file.Path;

/** Where a VM cache lives under the vcj root: {@code <root>/factory/cache/{cache.sock, vms/<id>/}}. */
record CachePaths(Path dir) {

    static CachePaths of(Path root) {
        return new CachePaths(root.resolve("factory").resolve("cache"));
    }

    Path socket() {
        return dir.resolve("cache.sock");
    }

    Path vms() {
        return dir.resolve("vms");
    }
}
