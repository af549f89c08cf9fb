package org.vcj.core.internal;

import java.time.Instant;
import java.util.Map;

import org.vcj.api.Process;
import org.vcj.api.VCContainer;
import org.vcj.api.VCSandbox;
import org.vcj.core.internal.SandboxRecord.ContainerRecord;

/** A container as the API hands it out: a snapshot of its record plus the sandbox it belongs to. */
final class ContainerHandle implements VCContainer {

    private final SandboxHandle sandbox;
    private final ContainerRecord record;

    ContainerHandle(SandboxHandle sandbox, ContainerRecord record) {
        this.sandbox = sandbox;
        this.record = record;
    }

    @Override public String id() { return record.id(); }
    @Override public Map<String, String> getAnnotations() { return record.config().annotations(); }
    @Override public int getPid() { return record.pid(); }
    @Override public String getToken() { return record.id(); }
    @Override public VCSandbox sandbox() { return sandbox; }

    @Override
    public Process process() {
        return new Process(record.id(), record.pid(), record.startMillis() == 0 ? null : Instant.ofEpochMilli(record.startMillis()));
    }

    @Override
    public String toString() {
        return "container " + record.id() + " (" + record.state() + ") in sandbox " + sandbox.id();
    }
}
