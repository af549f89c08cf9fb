package org.vcj.vmfactory.cache.internal;

import java.nio.file.Path;

import org.vcj.api.factory.VMFactory;

/** Where a VM cache lives under the vcj root: {@code <root>/factory/cache/{cache.sock, vms/<id>/}}. */
record CachePaths(Path dir) {

    static CachePaths of(Path root) {
        return new CachePaths(VMFactory.dir(root, "cache"));
    }

    Path socket() {
        return dir.resolve("cache.sock");
    }

    Path vms() {
        return dir.resolve("vms");
    }
}
