package org.vcj.shim.internal;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A task the shim serves: a vcj container in sandbox {@code sandboxId}, its init process and its execs.
 *
 * @param namespace   the containerd namespace the task was created in (its events go there)
 * @param ownsSandbox whether the sandbox was made for this container (a plain {@code ctr run}, or a pod's sandbox
 *                    container): deleting the task then deletes the sandbox
 */
record ShimContainer(String id, String namespace, String sandboxId, boolean ownsSandbox, Path bundle, ShimProcess init,
                     Map<String, ShimProcess> execs) {
    ShimContainer(String id, String namespace, String sandboxId, boolean ownsSandbox, Path bundle, ShimProcess init) {
        this(id, namespace, sandboxId, ownsSandbox, bundle, init, new ConcurrentHashMap<>());
    }
}
