package org.vcj.api;

/** What {@link VC#enterContainer(String, String, Cmd)} returns: the sandbox, the container and the new process. */
public record EnteredProcess(VCSandbox sandbox, VCContainer container, Process process) { }
