package org.vcj.agent.internal;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One container the agent manages: bundle, state, main process and exec processes. Thread-safe. */
public final class Container {
    /** Lifecycle states; the transitions are {@link ContainerStateGate}'s table. */
    public enum State { CREATED, RUNNING, PAUSED, STOPPED }

    private final String id;
    private final Path bundle;
    private final Path rootfs;
    private final org.vcj.agent.protocol.Cmd cmd;
    private volatile State state = State.CREATED;
    private volatile ManagedProcess main;
    private final Map<String, ManagedProcess> execs = new ConcurrentHashMap<>();

    Container(String id, Path bundle, Path rootfs, org.vcj.agent.protocol.Cmd cmd) {
        this.id = id;
        this.bundle = bundle;
        this.rootfs = rootfs;
        this.cmd = cmd;
    }

    /** Whether the main process gets a terminal (its OCI spec has process.terminal). */
    public boolean terminal() {
        return cmd.getTerminal();
    }

    public String id() {
        return id;
    }

    public Path bundle() {
        return bundle;
    }

    /** The main process's command, as CreateContainer gave it. */
    public org.vcj.agent.protocol.Cmd cmd() {
        return cmd;
    }

    /** The container's root filesystem as the agent sees it. */
    public Path rootfs() {
        return rootfs;
    }

    /** The current state: STOPPED once the main process has exited; reading it changes nothing. */
    public State state() {
        State s = state;
        ManagedProcess m = main;
        return (s == State.RUNNING || s == State.PAUSED) && m != null && !m.alive() ? State.STOPPED : s;
    }

    /** Sets the state; only {@link ContainerStateGate#enter} calls it. */
    void state(State s) {
        state = s;
    }

    public ManagedProcess main() {
        return main;
    }

    void main(ManagedProcess p) {
        main = p;
    }

    public Map<String, ManagedProcess> execs() {
        return execs;
    }

    /** The process with this exec id: the main one when execId is empty or equals the container id. */
    public ManagedProcess process(String execId) {
        if (execId.isEmpty() || execId.equals(id)) {
            if (main == null) {
                throw AgentErrors.state("container " + id + " has not been started: call StartContainer first");
            }
            return main;
        }
        ManagedProcess p = execs.get(execId);
        if (p == null) {
            throw AgentErrors.notFound("exec " + execId + " not found in container " + id);
        }
        return p;
    }
}
