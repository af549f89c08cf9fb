package org.vcj.core.internal;

import java.nio.file.Path;

/**
 * Where a sandbox's files live under the vcj root: {@code <root>/sandboxes/<id>/{vm,containers/<cid>}}; the logs of
 * a sandbox whose creation failed are kept in {@code <root>/log/failed/<id>}.
 */
record SandboxPaths(Path root) {

    Path sandbox(String sandboxId) {
        return root.resolve("sandboxes").resolve(sandboxId);
    }

    Path vmRunDir(String sandboxId) {
        return sandbox(sandboxId).resolve("vm");
    }

    /** Where the logs of sandbox {@code sandboxId}'s VM (its agent's, its hypervisor's) are kept when its creation failed. */
    Path failedLogs(String sandboxId) {
        return root.resolve("log").resolve("failed").resolve(sandboxId);
    }

    Path container(String sandboxId, String containerId) {
        return sandbox(sandboxId).resolve("containers").resolve(containerId);
    }
}
