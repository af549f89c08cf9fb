package org.vcj.shim.internal;

import java.time.Instant;
import java.util.concurrent.CountDownLatch;

import org.vcj.api.Cmd;
import org.vcj.shim.proto.TaskProto;

/**
 * One process of a task as containerd sees it: the container's init process (exec id "") or an exec. Holds its
 * stdio paths, its state and, once it ended, its exit status. Thread-safe.
 */
final class ShimProcess {
    final String containerId;
    final String execId;
    final String stdin;
    final String stdout;
    final String stderr;
    final boolean terminal;
    /** The exec's command, run on Start (null for the init process). */
    final Cmd cmd;

    private final CountDownLatch exited = new CountDownLatch(1);
    private volatile TaskProto.TaskStatus status = TaskProto.TaskStatus.CREATED;
    private volatile int pid;
    /** The agent's process id: the container id for the init process, the exec's token otherwise. */
    private volatile String agentId;
    private volatile FifoRelay relay;
    private volatile int exitStatus;
    private volatile Instant exitedAt;

    ShimProcess(String containerId, String execId, String stdin, String stdout, String stderr, boolean terminal, Cmd cmd) {
        this.containerId = containerId;
        this.execId = execId;
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
        this.terminal = terminal;
        this.cmd = cmd;
    }

    boolean isInit() {
        return execId.isEmpty();
    }

    TaskProto.TaskStatus status() { return status; }
    void status(TaskProto.TaskStatus s) { if (status != TaskProto.TaskStatus.STOPPED) status = s; }
    int pid() { return pid; }
    String agentId() { return agentId; }
    FifoRelay relay() { return relay; }
    int exitStatus() { return exitStatus; }
    Instant exitedAt() { return exitedAt; }

    void started(int pid, String agentId, FifoRelay relay) {
        this.pid = pid;
        this.agentId = agentId;
        this.relay = relay;
        this.status = TaskProto.TaskStatus.RUNNING;
    }

    void created(int pid, String agentId) {
        this.pid = pid;
        this.agentId = agentId;
    }

    void exited(int code, Instant at) {
        exitStatus = code;
        exitedAt = at;
        status = TaskProto.TaskStatus.STOPPED;
        exited.countDown();
    }

    /** Blocks at most {@code timeout} for the exit; whether the process has exited. */
    boolean awaitExit(java.time.Duration timeout) throws InterruptedException {
        return exited.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** {@code CONTAINER} for the init process, {@code CONTAINER/EXEC} for an exec. */
    String name() {
        return isInit() ? containerId : containerId + "/" + execId;
    }

    /** Blocks until the process has exited. */
    void awaitExit() throws InterruptedException {
        exited.await();
    }

    boolean hasExited() {
        return exited.getCount() == 0;
    }
}
