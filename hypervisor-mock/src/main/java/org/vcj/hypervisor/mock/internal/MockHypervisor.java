package org.vcj.hypervisor.mock.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.vcj.api.Device;
import org.vcj.api.DeviceInfo;
import org.vcj.api.HypervisorConfig;
import org.vcj.api.HypervisorException;
import org.vcj.api.NotSupportedException;
import org.vcj.api.hypervisor.Hypervisor;
import org.vcj.api.hypervisor.HypervisorCapabilities;
import org.vcj.api.hypervisor.VM;
import org.vcj.api.hypervisor.VMConfig;
import org.vcj.support.fs.LogTail;
import org.vcj.support.fs.UnixSocketPaths;
import org.vcj.support.process.HostProcess;

/**
 * The mock hypervisor: no VM at all. It starts the guest agent as a detached host process in the sandbox's run
 * directory and hands core the agent's Unix socket, so that every API call works end to end with real
 * processes and real containers. <b>It gives no isolation</b>: containers run on the host under runc/crun,
 * like any container runtime. For tests and for hosts without QEMU.
 */
@Component(service = Hypervisor.class, configurationPid = MockHypervisor.CONFIG_PID,
        property = Hypervisor.TYPE + "=" + MockHypervisor.TYPE)
@Designate(ocd = MockHypervisor.Config.class)
public final class MockHypervisor implements Hypervisor {

    /** The value of the {@code vcj.hypervisor} service property, and {@link VM#hypervisorType()} of its VMs. */
    public static final String TYPE = "mock";
    /** The plugin's configuration pid. */
    public static final String CONFIG_PID = "org.vcj.hypervisor.mock";

    /** The plugin's settings (see {@link AgentCommand}); a bad value fails the activation with its key and value. */
    @ObjectClassDefinition(name = "vcj mock hypervisor")
    public @interface Config {
        @AttributeDefinition(description = "The guest agent's jar (absolute path); empty: framework property vcj.agent.jar")
        String agent_jar() default "";
        @AttributeDefinition(description = "The java that runs the agent (absolute path); empty: vcj.agent.java, else this JVM's")
        String agent_java() default "";
    }

    private static final System.Logger LOG = System.getLogger(MockHypervisor.class.getName());
    static final String PID = "pid";
    static final String START_TIME = "startTime";
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final Duration FORCED_STOP_GRACE = Duration.ofSeconds(3);
    private static final String PROVIDER = "hypervisor mock";
    private static final String NO_VM = "no VM; use --hypervisor=qemu";
    private static final String NO_VM_PAUSE = "no VM; use pauseContainer";
    private static final String NO_VM_RESUME = "no VM; use resumeContainer";

    private final AgentCommand command;
    private final AgentLeftovers leftovers;

    /** Activated by DS. @throws org.vcj.api.InvalidConfigException naming the key and value of a bad setting */
    @Activate
    public MockHypervisor(BundleContext context, Map<String, Object> properties) {
        this(AgentCommand.from(properties, context::getProperty));
    }

    MockHypervisor(AgentCommand command) {
        this.command = command;
        this.leftovers = new AgentLeftovers(new CgroupLeftovers(Path.of("/sys/fs/cgroup")));
    }

    @Override
    public HypervisorCapabilities capabilities() {
        return new HypervisorCapabilities(false, false, false, false, false, false, false, Set.of("host"));
    }

    @Override
    public VM startVM(VMConfig config, Duration timeout) {
        if (!config.network().netNSPath().isEmpty()) {
            throw new NotSupportedException("startVM", PROVIDER, "the mock runs its agent in the host's network; it cannot put sandbox "
                    + config.id() + " in network namespace " + config.network().netNSPath() + " (use --hypervisor=qemu)");
        }
        Path run = Path.of(config.runDir());
        Path shared = run.resolve("shared");
        Path socket = agentSocket(run);
        try {
            Files.createDirectories(shared);
            Files.createDirectories(run.resolve("agent"));
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            throw new HypervisorException(config.id(), "startVM", "cannot prepare " + run + ": " + e.getMessage(), e);
        }
        Path bound = UnixSocketPaths.shortPath(socket); // a long root or id: through a short link to run
        HostProcess agent = command.start(config.id(), run, bound);
        HypervisorConfig hc = config.hypervisorConfig();
        // no VM: the containers share the host, so the "VM" is as large as the host unless the config names a size
        VM vm = new VM(config.id(), TYPE, hc.numVCPUs() > 0 ? hc.numVCPUs() : Runtime.getRuntime().availableProcessors(),
                hc.memorySize() > 0 ? hc.memorySize() : hostMemoryMiB(), run.toString(), shared.toString(),
                shared.toString(), "unix://" + bound, Map.of(PID, Long.toString(agent.pid()),
                        START_TIME, Long.toString(agent.startTime())));
        waitForSocket(vm, agent, socket, timeout);
        return vm;
    }

    /**
     * Sends the agent SIGTERM (it kills and deletes its containers, then exits 0) and waits for it; an agent that
     * is still there after the grace period (3 s with {@code force}, else 10 s) is SIGKILLed with its
     * descendants. Then, whether the agent ended cleanly, was killed here or had died before (with the CLI that started it,
     * or by a signal), everything it may have left is removed: its runc/crun helpers, the containers in its OCI
     * state, the sandbox's cgroups and processes ({@link AgentLeftovers}), and its socket.
     *
     * @throws HypervisorException when a process or cgroup of the sandbox survives SIGKILL (a retry may succeed)
     */
    @Override
    public void stopVM(VM vm, boolean force) {
        stopAgent(vm.id(), agentOf(vm), force);
        removeLeftovers(vm.id(), Path.of(vm.runDir()), "vcj delete --force " + vm.id());
    }

    private void stopAgent(String id, HostProcess agent, boolean force) {
        if (!agent.alive()) return;
        agent.terminate();
        if (!agent.awaitExit((force ? FORCED_STOP_GRACE : STOP_GRACE).toMillis())) {
            LOG.log(Level.WARNING, "agent " + agent.pid() + " of " + id + " ignored SIGTERM; killing it and its descendants");
            agent.killTree();
            agent.awaitExit(FORCED_STOP_GRACE.toMillis());
        }
    }

    private void removeLeftovers(String id, Path runDir, String retry) {
        List<String> left = leftovers.remove(runDir, id);
        if (!left.isEmpty()) {
            throw new HypervisorException(id, "stopVM", "these survived SIGKILL: " + left
                    + "; retry (" + retry + ") once they are gone", null);
        }
        try {
            Files.deleteIfExists(agentSocket(runDir));
            Files.deleteIfExists(runDir.resolve("agent.pid"));
            UnixSocketPaths.release(runDir);
        } catch (IOException e) {
            throw new HypervisorException(id, "stopVM", "cannot remove the agent socket in " + runDir
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * Stops an agent that a crashed runtime started in {@code runDir} but never recorded (found by agent.pid), and
     * removes whatever an agent of {@code runDir} left, even when the agent is gone already.
     */
    @Override
    public void cleanup(Path runDir) {
        String id = runDir.toString();
        recordedAgent(runDir).ifPresent(agent -> {
            LOG.log(Level.INFO, "stopping agent " + agent.pid() + " left running in " + runDir);
            stopAgent(id, agent, false);
        });
        removeLeftovers(null, runDir, "vcj cleanup");
    }

    /** The host's memory (MemTotal of /proc/meminfo) in MiB; 0 when it cannot be read. */
    static int hostMemoryMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) return (int) (Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024);
            }
        } catch (IOException | NumberFormatException e) {
            // an unreadable /proc: the size is unknown
        }
        return 0;
    }

    /** Where the agent of the sandbox whose run directory is {@code runDir} listens: the one place that decides it. */
    static Path agentSocket(Path runDir) {
        return runDir.resolve("agent.sock");
    }

    /** The agent named by {@code <runDir>/agent.pid}, if it still runs with a command line naming runDir. */
    private static java.util.Optional<HostProcess> recordedAgent(Path runDir) {
        try {
            Path pidFile = runDir.resolve("agent.pid");
            if (!Files.isRegularFile(pidFile)) return java.util.Optional.empty();
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            String cmdline = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');
            if (!cmdline.contains(runDir.toString())) return java.util.Optional.empty();
            return HostProcess.of(pid);
        } catch (IOException | NumberFormatException e) {
            LOG.log(Level.DEBUG, "no recorded agent in " + runDir + ": " + e.getMessage());
            return java.util.Optional.empty();
        }
    }

    @Override public void pauseVM(VM vm) { throw new NotSupportedException("pauseVM", PROVIDER, NO_VM_PAUSE); }
    @Override public void resumeVM(VM vm) { throw new NotSupportedException("resumeVM", PROVIDER, NO_VM_RESUME); }
    @Override public void saveVM(VM vm, Path stateFile) { throw new NotSupportedException("saveVM", PROVIDER, NO_VM); }
    @Override public Device addDevice(VM vm, DeviceInfo info) { throw new NotSupportedException("addDevice", PROVIDER, NO_VM); }
    @Override public void removeDevice(VM vm, Device device) { throw new NotSupportedException("removeDevice", PROVIDER, NO_VM); }
    @Override public VM resizeVCPUs(VM vm, int vcpus) { throw new NotSupportedException("resizeVCPUs", PROVIDER, NO_VM); }
    @Override public VM resizeMemory(VM vm, int memoryMiB) { throw new NotSupportedException("resizeMemory", PROVIDER, NO_VM); }

    @Override
    public List<Long> pids(VM vm) {
        HostProcess agent = agentOf(vm);
        List<Long> pids = new ArrayList<>();
        if (agent.alive()) pids.add(agent.pid());
        return pids;
    }

    @Override
    public void check(VM vm) {
        if (!agentOf(vm).alive()) {
            throw new HypervisorException(vm.id(), "check", "the agent process " + vm.state().get(PID)
                    + " is gone; see " + Path.of(vm.runDir(), "agent.log"), null);
        }
    }

    private static HostProcess agentOf(VM vm) {
        try {
            return new HostProcess(Long.parseLong(vm.state().get(PID)), Long.parseLong(vm.state().get(START_TIME)));
        } catch (RuntimeException e) {
            throw new HypervisorException(vm.id(), "attach", "the saved VM record has no agent pid: " + vm.state(), e);
        }
    }

    private void waitForSocket(VM vm, HostProcess agent, Path socket, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(socket)) {
            if (!agent.alive()) {
                Path log = Path.of(vm.runDir(), "agent.log");
                throw new HypervisorException(vm.id(), "startVM", "the agent exited at start; " + log + " ends with: "
                        + LogTail.lastLines(log, 5), null);
            }
            if (System.nanoTime() > deadline) {
                stopVM(vm, true);
                throw new HypervisorException(vm.id(), "startVM", "the agent did not listen on " + socket + " within " + timeout, null);
            }
            sleep(20);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HypervisorException(null, "wait", "interrupted", e);
        }
    }
}
