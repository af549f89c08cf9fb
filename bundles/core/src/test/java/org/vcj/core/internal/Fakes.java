package org.vcj.core.internal;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

import org.vcj.api.Device;
import org.vcj.api.DeviceInfo;
import org.vcj.api.HypervisorException;
import org.vcj.api.NotSupportedException;
import org.vcj.api.Process;
import org.vcj.api.agent.Agent;
import org.vcj.api.hypervisor.Hypervisor;
import org.vcj.api.hypervisor.HypervisorCapabilities;
import org.vcj.api.hypervisor.VM;
import org.vcj.api.hypervisor.VMConfig;
import org.vcj.api.storage.MetadataLock;
import org.vcj.api.storage.MetadataStorage;

/** In-test stand-ins for the plugins: an in-memory storage, a hypervisor without VMs, a scripted agent. */
final class Fakes {

    private Fakes() { }

    static final class MemoryStorage implements MetadataStorage {
        final Map<String, byte[]> data = new TreeMap<>();
        private final ReentrantLock lock = new ReentrantLock();

        @Override public synchronized void save(String key, byte[] value) { data.put(key, value.clone()); }
        @Override public synchronized Optional<byte[]> load(String key) { return Optional.ofNullable(data.get(key)); }
        @Override public synchronized void delete(String key) { data.remove(key); }
        @Override public synchronized List<String> keys(String prefix) { return data.keySet().stream().filter(k -> k.startsWith(prefix)).toList(); }

        @Override
        public MetadataLock lock(String key, Duration timeout) {
            lock.lock();
            return lock::unlock;
        }
    }

    /**
     * A hypervisor whose "VMs" are just records; startVM, stopVM, pauseVM and resumeVM are logged. It can pause a VM
     * only when made with {@code canPause}; its VMs name {@code type} as their hypervisor.
     */
    static class FakeHypervisor implements Hypervisor {
        final List<String> calls;
        final Set<String> running = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final Set<String> paused = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private final boolean canPause;
        private final String type;
        /** Makes pauseVM fail as a hypervisor error. */
        volatile boolean pauseFails;

        FakeHypervisor() {
            this(new CopyOnWriteArrayList<>(), false, "fake");
        }

        FakeHypervisor(List<String> calls, boolean canPause, String type) {
            this.calls = calls;
            this.canPause = canPause;
            this.type = type;
        }

        @Override
        public HypervisorCapabilities capabilities() {
            return new HypervisorCapabilities(false, false, false, false, canPause, false, false, Set.of());
        }

        @Override
        public VM startVM(VMConfig config, Duration timeout) {
            calls.add("startVM " + config.id());
            running.add(config.id());
            String shared = Path.of(config.runDir(), "shared").toString();
            return new VM(config.id(), type, 1, 128, config.runDir(), shared, shared, "fake://" + config.id(), Map.of());
        }

        @Override
        public void stopVM(VM vm, boolean force) {
            calls.add("stopVM " + vm.id());
            running.remove(vm.id());
        }

        @Override
        public void pauseVM(VM vm) {
            if (!canPause) throw new NotSupportedException("pauseVM", type, "none");
            if (pauseFails) throw new HypervisorException(vm.id(), "pauseVM", "scripted failure", null);
            calls.add("pauseVM " + vm.id());
            paused.add(vm.id());
        }

        @Override
        public void resumeVM(VM vm) {
            if (!canPause) throw new NotSupportedException("resumeVM", type, "none");
            calls.add("resumeVM " + vm.id());
            paused.remove(vm.id());
        }
        @Override public void saveVM(VM vm, Path stateFile) { throw new NotSupportedException("saveVM", "fake", "none"); }
        @Override public Device addDevice(VM vm, DeviceInfo info) { throw new NotSupportedException("addDevice", "fake", "none"); }
        @Override public void removeDevice(VM vm, Device device) { throw new NotSupportedException("removeDevice", "fake", "none"); }
        @Override public VM resizeVCPUs(VM vm, int vcpus) { throw new NotSupportedException("resizeVCPUs", "fake", "none"); }
        @Override public VM resizeMemory(VM vm, int memoryMiB) { throw new NotSupportedException("resizeMemory", "fake", "none"); }
        @Override public List<Long> pids(VM vm) { return List.of(42L); }

        @Override
        public void check(VM vm) {
            if (!running.contains(vm.id())) throw new HypervisorException(vm.id(), "check", "not running", null);
        }
    }

    /** An agent that logs every RPC by name; a method named in {@code failing} throws. */
    static Agent agent(List<String> calls, String failing) {
        return agent(calls, failing, true);
    }

    /**
     * An agent that logs every RPC by name; a method named in {@code failing} throws. With {@code exits} false,
     * waitProcess never reports an exit (a process that does not die, or an agent that cannot see it die).
     */
    static Agent agent(List<String> calls, String failing, boolean exits) {
        return (Agent) Proxy.newProxyInstance(Agent.class.getClassLoader(), new Class<?>[] {Agent.class}, (p, m, args) -> {
            calls.add(m.getName());
            if (m.getName().equals(failing)) {
                throw new org.vcj.api.AgentException("sb", m.getName(), "INTERNAL", "scripted failure", null);
            }
            return switch (m.getName()) {
                case "startContainer", "execProcess" -> new Process("t", 7, Instant.now());
                case "waitProcess" -> !exits || ((Duration) args[2]).isZero() ? OptionalInt.empty() : OptionalInt.of(0);
                case "check" -> "SERVING";
                case "listProcesses" -> "PID CMD\n7 sh\n".getBytes();
                case "hashCode" -> 1;
                case "equals" -> false;
                case "toString" -> "fake agent";
                default -> null;
            };
        });
    }
}
