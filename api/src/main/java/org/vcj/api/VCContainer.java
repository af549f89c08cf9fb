package org.vcj.api;

import java.util.Map;

/**
 * A handle on a container (Kata {@code VCContainer}). A handle is a snapshot taken when it was
 * returned: call {@link VCSandbox#statusContainer(String)} for the current state. Thread-safe.
 */
public interface VCContainer {
    /** The container id. */
    String id();

    /** The caller's annotations of the container. */
    Map<String, String> getAnnotations();

    /** Its main process's pid as the agent sees it; 0 when not running. */
    int getPid();

    /** Its main process's token (the container id). */
    String getToken();

    /** The sandbox it belongs to. */
    VCSandbox sandbox();

    /** Its main process. */
    Process process();
}
