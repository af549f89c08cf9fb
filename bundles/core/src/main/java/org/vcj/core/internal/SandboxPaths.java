package org.vcj.core.internal;

import java.nio.file.Path;

/** Where a sandbox's files live under the vcj root: {@code <root>/sandboxes/<id>/{vm,containers/<cid>}}. */
record SandboxPaths(Path root) {

    Path sandbox(String sandboxId) {
        return root.resolve("sandboxes").resolve(sandboxId);
    }

    Path vmRunDir(String sandboxId) {
        return sandbox(sandboxId).resolve("vm");
    }

    Path container(String sandboxId, String containerId) {
        return sandbox(sandboxId).resolve("containers").resolve(containerId);
    }
}
