package org.vcj.api;

import java.util.List;

/** OCI hooks of a sandbox: run before the containers start, after they started, and after they stopped. */
public record Hooks(List<Hook> preStartHooks, List<Hook> postStartHooks, List<Hook> postStopHooks) {
    public static final Hooks NONE = new Hooks(List.of(), List.of(), List.of());

    public Hooks {
        preStartHooks = preStartHooks == null ? List.of() : List.copyOf(preStartHooks);
        postStartHooks = postStartHooks == null ? List.of() : List.copyOf(postStartHooks);
        postStopHooks = postStopHooks == null ? List.of() : List.copyOf(postStopHooks);
    }
}
