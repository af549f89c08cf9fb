package org.vcj.shell.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.ByteArrayInputStream;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.vcj.api.*;

/** An in-memory VC for the verb tests: records calls, simulates one "cat"-like process per container. */
final class FakeVc implements VC {
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    final Map<String, SandboxStatus> sandboxes = Collections.synchronizedMap(new LinkedHashMap<>());
    final Map<String, SandboxConfig> configs = new LinkedHashMap<>();
    final Map<String, ContainerStats> stats = new LinkedHashMap<>();
    /** Bytes the process prints on stdout before echoing its stdin. */
    byte[] stdoutPrefix = new byte[0];
    byte[] stderrBytes = new byte[0];
    int exitCode;
    /** Set to make every call fail with this. */
    RuntimeException failWith;
    byte[] psOutput = "UID PID CMD\n".getBytes();
    final Map<String, FakeProcess> processes = new LinkedHashMap<>();

    /** A process: stdout = prefix + everything written to stdin; ends when stdin is closed. */
    static final class FakeProcess {
        final PipedInputStream stdout = new PipedInputStream(1 << 16);
        final PipedOutputStream toStdout;
        final ByteArrayOutputStream stdinSeen = new ByteArrayOutputStream();
        final CountDownLatch stdinClosed = new CountDownLatch(1);
        final InputStream stderr;
        final int exit;

        FakeProcess(byte[] prefix, byte[] err, int exit) {
            try {
                toStdout = new PipedOutputStream(stdout);
                toStdout.write(prefix);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            this.stderr = new ByteArrayInputStream(err);
            this.exit = exit;
        }

        OutputStream stdin() {
            return new OutputStream() {
                @Override public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }

                @Override public synchronized void write(byte[] b, int off, int len) throws IOException {
                    stdinSeen.write(b, off, len);
                    toStdout.write(b, off, len);
                }

                @Override public void close() throws IOException {
                    toStdout.close();
                    stdinClosed.countDown();
                }
            };
        }

        int await() {
            try {
                if (!stdinClosed.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("stdin never closed");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return exit;
        }
    }

    void addSandbox(String id, SandboxState state, String hv, Instant created, ContainerStatus... cs) {
        Map<String, String> ann = created == null ? Map.of() : Map.of(RunVerb.CREATED_ANNOTATION, created.toString());
        sandboxes.put(id, new SandboxStatus(id, state, new HypervisorType(hv), HypervisorConfig.DEFAULT, AgentType.KATA,
                List.of(cs), ann, List.of(4242L)));
    }

    static ContainerStatus container(String id, ContainerState state, int pid, Integer exit) {
        return new ContainerStatus(id, state, pid, Instant.parse("2026-01-02T03:04:05.678Z"), "/rootfs", Map.of(), exit);
    }

    private void call(String c) {
        calls.add(c);
        if (failWith != null) throw failWith;
    }

    private SandboxStatus existing(String id) {
        SandboxStatus s = sandboxes.get(id);
        if (s == null) throw new NotFoundException("sandbox", id, "list sandboxes with: vcj list");
        return s;
    }

    private void setState(String id, SandboxState st) {
        SandboxStatus s = existing(id);
        sandboxes.put(id, new SandboxStatus(id, st, s.hypervisor(), s.hypervisorConfig(), s.agent(), s.containersStatus(),
                s.annotations(), s.hypervisorPids()));
    }

    VCSandbox handle(String id) {
        return (VCSandbox) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {VCSandbox.class}, (p, m, a) -> {
            switch (m.getName()) {
                case "id": return id;
                case "start": call("start " + id); setState(id, SandboxState.RUNNING); return null;
                case "ioStream": {
                    call("ioStream " + a[0] + " " + a[1]);
                    FakeProcess fp = processes.get((String) a[1]);
                    return new IOStream(fp.stdin(), fp.stdout, fp.stderr);
                }
                case "waitProcess": call("waitProcess " + a[0] + " " + a[1]); return processes.get((String) a[1]).await();
                case "statsContainer": call("statsContainer " + a[0]); return stats.get((String) a[0]);
                case "stats": call("stats " + id); return new org.vcj.api.SandboxStats(null, 2, 150L << 20);
                case "signalProcess": call("signalProcess " + a[1] + " " + a[2]); return null;
                case "toString": return "FakeSandbox " + id;
                default: throw new UnsupportedOperationException(m.getName());
            }
        });
    }

    private VCSandbox create(SandboxConfig config, SandboxState state) {
        if (sandboxes.containsKey(config.id())) throw new AlreadyExistsException("sandbox", config.id());
        configs.put(config.id(), config);
        List<ContainerStatus> cs = new ArrayList<>();
        for (ContainerConfig c : config.containers()) {
            cs.add(container(c.id(), state == SandboxState.RUNNING ? ContainerState.RUNNING : ContainerState.READY, 1, null));
            processes.put(c.id(), new FakeProcess(stdoutPrefix, stderrBytes, exitCode));
        }
        sandboxes.put(config.id(), new SandboxStatus(config.id(), state, config.hypervisorType(), config.hypervisorConfig(),
                AgentType.KATA, cs, config.annotations(), List.of(1L)));
        return handle(config.id());
    }

    @Override public VCSandbox createSandbox(SandboxConfig config) { return createSandbox(config, null); }

    @Override public VCSandbox createSandbox(SandboxConfig config, String vmFactory) {
        call("createSandbox " + config.id() + " factory=" + vmFactory);
        return create(config, SandboxState.READY);
    }

    @Override public VCSandbox runSandbox(SandboxConfig config) {
        call("runSandbox " + config.id());
        return create(config, SandboxState.RUNNING);
    }

    @Override public VCSandbox deleteSandbox(String id) {
        call("deleteSandbox " + id);
        existing(id);
        sandboxes.remove(id);
        return handle(id);
    }

    @Override public VCSandbox startSandbox(String id) { throw new UnsupportedOperationException(); }

    @Override public VCSandbox stopSandbox(String id, boolean force) {
        call("stopSandbox " + id + " force=" + force);
        setState(id, SandboxState.STOPPED);
        return handle(id);
    }

    @Override public List<SandboxStatus> listSandbox() { call("listSandbox"); return List.copyOf(sandboxes.values()); }

    @Override public SandboxStatus statusSandbox(String id) { call("statusSandbox " + id); return existing(id); }

    @Override public VCSandbox pauseSandbox(String id) { call("pauseSandbox " + id); setState(id, SandboxState.PAUSED); return handle(id); }

    @Override public VCSandbox resumeSandbox(String id) { call("resumeSandbox " + id); setState(id, SandboxState.RUNNING); return handle(id); }

    @Override public VCSandbox fetchSandbox(String id) { call("fetchSandbox " + id); existing(id); return handle(id); }

    @Override public VCContainer createContainer(String s, ContainerConfig c) { throw new UnsupportedOperationException(); }

    @Override public VCContainer deleteContainer(String s, String c) { throw new UnsupportedOperationException(); }

    @Override public VCContainer startContainer(String s, String c) { throw new UnsupportedOperationException(); }

    @Override public VCContainer stopContainer(String s, String c) { throw new UnsupportedOperationException(); }

    @Override public EnteredProcess enterContainer(String sandboxId, String containerId, Cmd cmd) {
        call("enterContainer " + sandboxId + " " + containerId + " " + cmd.args() + " env=" + cmd.envs() + " tty=" + cmd.terminal());
        existing(sandboxId);
        String token = "exec-1";
        processes.put(token, new FakeProcess(stdoutPrefix, stderrBytes, exitCode));
        return new EnteredProcess(handle(sandboxId), null, new org.vcj.api.Process(token, 77, Instant.now()));
    }

    @Override public ContainerStatus statusContainer(String s, String c) { throw new UnsupportedOperationException(); }

    @Override public void killContainer(String sandboxId, String containerId, int signal, boolean all) {
        call("killContainer " + sandboxId + " " + containerId + " " + signal + " all=" + all);
        existing(sandboxId);
    }

    @Override public ProcessList processListContainer(String sandboxId, String containerId, ProcessListOptions options) {
        call("processListContainer " + sandboxId + " " + containerId + " " + options.format() + " " + options.args());
        existing(sandboxId);
        return new ProcessList(psOutput);
    }

    @Override public List<String> cleanup() { call("cleanup"); return List.of("stale-1", "stale-2"); }

    @Override
    public List<org.vcj.api.factory.FactoryStatus> initFactory(String vmFactory, SandboxConfig config) {
        call("initFactory " + vmFactory + " " + config.hypervisorType().name() + " " + config.vmConfig().vcpus());
        return List.of(new org.vcj.api.factory.FactoryStatus(vmFactory, "k1", "ready", 4096, null, 0, "detail"));
    }

    @Override
    public List<org.vcj.api.factory.FactoryStatus> factoryStatus(String vmFactory) {
        call("factoryStatus " + vmFactory);
        return List.of(new org.vcj.api.factory.FactoryStatus(vmFactory, "k1", "ready", 4096, null, 2, "detail"));
    }

    @Override
    public List<org.vcj.api.factory.FactoryStatus> destroyFactory(String vmFactory) {
        call("destroyFactory " + vmFactory);
        return List.of();
    }

    @Override
    public void serveFactory(String vmFactory, String sourceFactory, int size, SandboxConfig config) {
        call("serveFactory " + vmFactory + " " + sourceFactory + " " + size + " " + config.hypervisorType().name());
    }
}
