package org.vcj.agent.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Brings hot-plugged CPUs and memory blocks online through sysfs. Stateless. */
public final class CpuMemOnliner {
    private static final Path CPUS = Path.of("/sys/devices/system/cpu");
    private static final Path MEM = Path.of("/sys/devices/system/memory");
    private static final long MEMORY_WAIT_NANOS = 10_000_000_000L;

    /**
     * Onlines offline CPUs (and memory blocks unless cpuOnly). With {@code wait}, waits up to
     * 5 s until at least {@code nbCpus} CPUs are online, and (unless cpuOnly) up to 10 s until some offline memory
     * block appeared and was onlined (a hot-added DIMM shows up asynchronously). Returns a summary of what was onlined;
     * fails when a write fails or the wanted CPU count is not reached.
     */
    public String online(int nbCpus, boolean cpuOnly, boolean wait) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + (wait ? 5_000_000_000L : 0);
        int cpus = onlineAll(CPUS, "cpu");
        while (nbCpus > 0 && onlineCount() < nbCpus && System.nanoTime() < deadline) {
            Thread.sleep(100);
            cpus += onlineAll(CPUS, "cpu");
        }
        if (nbCpus > 0 && onlineCount() < nbCpus) {
            throw AgentErrors.state("only " + onlineCount() + " CPUs online, " + nbCpus
                    + " requested: hot-plug the CPUs first");
        }
        int mem = cpuOnly ? 0 : onlineAll(MEM, "memory");
        // A hot-added DIMM reaches sysfs asynchronously (ACPI): asked for memory, wait for its blocks to show up.
        long memDeadline = System.nanoTime() + (wait && !cpuOnly ? MEMORY_WAIT_NANOS : 0);
        while (!cpuOnly && mem == 0 && System.nanoTime() < memDeadline) {
            Thread.sleep(100);
            mem = onlineAll(MEM, "memory");
        }
        return "onlined " + cpus + " cpus, " + mem + " memory blocks";
    }

    /** Number of online CPUs as the JVM sees them (sched affinity honoured). */
    static int onlineCount() {
        int n = 0;
        try (Stream<Path> s = Files.list(CPUS)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String f = p.getFileName().toString();
                if (f.matches("cpu\\d+")) {
                    Path on = p.resolve("online");
                    n += !Files.exists(on) || "1".equals(read(on)) ? 1 : 0;
                }
            }
        } catch (IOException e) {
            return Runtime.getRuntime().availableProcessors();
        }
        return n;
    }

    private static int onlineAll(Path dir, String prefix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int count = 0;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path on = p.resolve("online");
                if (p.getFileName().toString().matches(prefix + "\\d+") && Files.isWritable(on) && "0".equals(read(on))) {
                    Files.writeString(on, "1");
                    if (!"1".equals(read(on))) {
                        throw AgentErrors.internal("writing 1 to " + on + " did not bring it online", null);
                    }
                    count++;
                }
            }
        }
        return count;
    }

    private static String read(Path f) {
        try {
            return Files.readString(f).trim();
        } catch (IOException e) {
            return "";
        }
    }
}
