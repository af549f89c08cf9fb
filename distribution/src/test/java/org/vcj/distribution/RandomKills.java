package org.vcj.distribution;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The random half of the crash harness: sandboxes are created and used from CLI JVMs while {@code kill -9} hits, at a
 * random moment drawn from a seeded {@link Random}, one of: the CLI, the CLI with every process it started (what a
 * user's {@code kill -9 -- -PGID} does), the mock's agent, the agent's runc processes, the containers' processes, or
 * QEMU. Lanes run rounds side by side on one root (each lane has its own generator derived from the seed, so each
 * lane's choices repeat for a seed; the interleaving of lanes does not). {@link #finish} then deletes every listed
 * sandbox and runs cleanup, each from a fresh CLI JVM, as a user would.
 */
final class RandomKills {

    /** One kill -9: of which sandbox, during which call, what was hit, when (ms after the call started), how many processes. */
    record Kill(String sandbox, String during, String victim, long atMillis, int processes) { }

    private static final long CLI_GRACE_MILLIS = 20_000;
    private static final long VM_BOOT_MILLIS = 240_000;
    /** What a run is killed by; "none" lets it finish, so that the second kill hits a running sandbox. */
    private static final String[] FIRST = {"none", "cli", "tree", "agent", "runtime", "container"};
    /** What is killed after a killed run: a call on what is left, or nothing. */
    private static final String[] AFTER_KILL = {"none", "delete", "stop", "exec"};
    /** What is killed under a running sandbox. */
    private static final String[] WHILE_RUNNING = {"delete", "stop", "exec", "agent", "runtime", "container"};

    private final Cli cli;
    private final Path root;
    private final String prefix;
    private final long seed;
    private final Path logDir;
    private final ThreadLocal<Path> log = new ThreadLocal<>();
    private final List<Kill> kills = Collections.synchronizedList(new ArrayList<>());
    private final List<String> missed = Collections.synchronizedList(new ArrayList<>());

    /** @param logDir where each lane's CLI output goes ({@code <prefix>lane-N.log}, a line before each call) */
    RandomKills(Cli cli, Path root, String prefix, long seed, Path logDir) {
        this.cli = cli;
        this.root = root;
        this.prefix = prefix;
        this.seed = seed;
        this.logDir = logDir;
    }

    private Process spawn(String... args) throws IOException {
        Path file = log.get();
        if (file == null) {
            file = logDir.resolve(prefix + Thread.currentThread().getName().replaceAll("\\W", "_") + ".log");
            log.set(file);
        }
        java.nio.file.Files.writeString(file, java.time.LocalTime.now() + " vcj " + String.join(" ", args) + "\n",
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        return cli.spawn(file, args);
    }

    List<Kill> kills() {
        return List.copyOf(kills);
    }

    /** Calls whose chosen moment came after they had ended (nothing to kill then; not counted as kills). */
    List<String> missed() {
        return List.copyOf(missed);
    }

    /** Mock sandboxes on {@code lanes} threads, until {@code target} kills happened. */
    void mockRounds(int lanes, int target) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(lanes);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int lane = 0; lane < lanes; lane++) {
                int l = lane;
                done.add(pool.submit(() -> {
                    Random rnd = new Random(seed * 31 + l);
                    for (int n = 0; kills.size() < target; n++) mockRound(rnd, prefix + l + "-" + n);
                    return null;
                }));
            }
            for (Future<?> f : done) f.get(15, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }
    }

    private void mockRound(Random rnd, String id) throws Exception {
        String first = FIRST[rnd.nextInt(FIRST.length)];
        long at = 300 + rnd.nextInt(4000);
        long t0 = System.nanoTime();
        Process run = spawn("run", "--detach", "--hypervisor=mock", "--id=" + id, "--", "sleep", "600");
        if (!first.equals("none")) killAt(run, t0, at, id, "run", first);
        finishOrKill(run, id, "run");
        String second = first.equals("none") ? WHILE_RUNNING[rnd.nextInt(WHILE_RUNNING.length)] : AFTER_KILL[rnd.nextInt(AFTER_KILL.length)];
        long at2 = 200 + rnd.nextInt(2500);
        switch (second) {
            case "delete", "stop" -> afterwards(rnd, id, second, at2, second.equals("delete") ? List.of("delete", "--force", id) : List.of("stop", id));
            case "exec" -> afterwards(rnd, id, second, at2, List.of("exec", id, "--", "sleep", "5"));
            case "agent", "runtime", "container" -> {
                Thread.sleep(at2);
                kill(id, "running", second, at2, victims(null, id, second));
            }
            default -> { }
        }
    }

    private void afterwards(Random rnd, String id, String verb, long at, List<String> args) throws Exception {
        long t0 = System.nanoTime();
        Process p = spawn(args.toArray(String[]::new));
        killAt(p, t0, at, id, verb, rnd.nextBoolean() ? "cli" : "tree");
        finishOrKill(p, id, verb);
    }

    /**
     * VM sandboxes, one at a time (three boots under TCG): the CLI and its processes killed while QEMU boots (QEMU is
     * daemonized, so it survives its CLI); QEMU killed 0-2 s after its sandbox came up; QEMU killed while its CLI
     * waits for the agent. Each is deleted from a fresh CLI before the next boots, to keep one VM on the CPUs.
     */
    void qemuRounds() throws Exception {
        Random rnd = new Random(seed * 31 + 99);
        String q1 = prefix + "q1";
        long t1 = System.nanoTime();
        Process p1 = spawn("run", "--detach", "--hypervisor=qemu", "--id=" + q1, "--", "sleep", "600");
        killAt(p1, t1, 2000 + rnd.nextInt(10_000), q1, "run", "tree");
        finishOrKill(p1, q1, "run");
        cli.run("delete", "--force", q1);

        String q2 = prefix + "q2";
        Process p2 = spawn("run", "--detach", "--hypervisor=qemu", "--id=" + q2, "--", "sleep", "600");
        if (!p2.waitFor(VM_BOOT_MILLIS, TimeUnit.MILLISECONDS)) missed.add(q2 + ": not up within " + VM_BOOT_MILLIS / 1000 + " s");
        long at2 = rnd.nextInt(2000);
        Thread.sleep(at2);
        kill(q2, "running", "qemu", at2, victims(null, q2, "qemu"));
        finishOrKill(p2, q2, "run");
        cli.run("delete", "--force", q2);

        String q3 = prefix + "q3";
        long t3 = System.nanoTime();
        Process p3 = spawn("run", "--detach", "--hypervisor=qemu", "--id=" + q3, "--", "sleep", "600");
        killAt(p3, t3, 3000 + rnd.nextInt(10_000), q3, "run", "qemu");
        finishOrKill(p3, q3, "run");
    }

    /** Waits until {@code atMillis} after the call started, then kills the chosen victim (or what exists of it). */
    private void killAt(Process call, long startedNanos, long atMillis, String id, String during, String victim)
            throws InterruptedException {
        long wait = atMillis - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
        if (wait > 0) Thread.sleep(wait);
        List<ProcessHandle> targets = victims(call, id, victim);
        if (!victim.equals("cli") && !victim.equals("tree")) {
            // not there yet (the agent starts seconds into a run under load): kill it the moment it appears
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (targets.isEmpty() && call.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
                targets = victims(call, id, victim);
            }
            if (targets.isEmpty()) targets = victims(call, id, victim); // the call ended: the sandbox may run now
            atMillis = Math.max(atMillis, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos));
        }
        String what = victim;
        if (targets.isEmpty() && call.isAlive()) {
            targets = List.of(call.toHandle()); // e.g. no agent yet: the CLI is what runs now
            what = "cli (no " + victim + " yet)";
        }
        kill(id, during, what, atMillis, targets);
    }

    private List<ProcessHandle> victims(Process call, String id, String victim) {
        SandboxProcesses sp = new SandboxProcesses(root, id);
        return switch (victim) {
            case "cli" -> call != null && call.isAlive() ? List.of(call.toHandle()) : List.of();
            case "tree" -> {
                if (call == null || !call.isAlive()) yield List.of();
                List<ProcessHandle> all = new ArrayList<>(call.toHandle().descendants().toList());
                all.add(0, call.toHandle());
                yield all;
            }
            case "agent" -> sp.agent();
            case "runtime" -> sp.runtime();
            case "container" -> sp.containers();
            case "qemu" -> sp.qemu();
            default -> throw new IllegalArgumentException(victim);
        };
    }

    private void kill(String id, String during, String victim, long at, List<ProcessHandle> targets) {
        if (targets.isEmpty()) {
            missed.add(id + ": nothing to kill for " + victim + " during " + during + " at " + at + " ms");
            return;
        }
        targets.forEach(ProcessHandle::destroyForcibly); // SIGKILL
        kills.add(new Kill(id, during, victim, at, targets.size()));
    }

    /** A CLI whose agent or VM was killed under it gets some time to fail by itself; one still running then is killed. */
    private void finishOrKill(Process call, String id, String during) throws InterruptedException {
        if (!call.waitFor(CLI_GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
            kill(id, during, "cli (still running " + CLI_GRACE_MILLIS / 1000 + " s later)", CLI_GRACE_MILLIS, List.of(call.toHandle()));
            call.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * From fresh CLI JVMs, as a user would: {@code delete --force} of every listed sandbox of this run (on
     * {@code lanes} threads), then {@code cleanup}. Returns the sandboxes still listed afterwards.
     */
    List<String> finish(int lanes) throws Exception {
        List<String> listed = listed();
        ExecutorService pool = Executors.newFixedThreadPool(lanes);
        try {
            List<Future<Cli.Result>> done = new ArrayList<>();
            for (String id : listed) done.add(pool.submit(() -> cli.run("delete", "--force", id)));
            for (Future<Cli.Result> f : done) f.get(5, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }
        Cli.Result cleanup = cli.run("cleanup");
        if (cleanup.code() != 0) throw new AssertionError("vcj cleanup failed: " + cleanup.err());
        return listed();
    }

    private List<String> listed() throws IOException, InterruptedException {
        Cli.Result list = cli.run("list");
        if (list.code() != 0) throw new AssertionError("vcj list failed: " + list.err());
        return list.out().lines().map(l -> l.split("\\s+")[0]).filter(s -> s.startsWith(prefix)).toList();
    }

    /** Kills per call and victim, e.g. {@code run/agent=7}. */
    Map<String, Integer> tally() {
        Map<String, Integer> t = new TreeMap<>();
        for (Kill k : kills()) t.merge(k.during() + "/" + k.victim().replaceAll(" \\(.*", ""), 1, Integer::sum);
        return t;
    }

    /** Everything of this run's sandboxes still on the host: processes, mounts, files, cgroups. */
    List<String> leftovers() throws IOException {
        List<String> left = new ArrayList<>();
        for (ProcessHandle p : SandboxProcesses.mentioning(root.toString())) left.add("process " + SandboxProcesses.describe(p));
        for (ProcessHandle p : SandboxProcesses.mentioning(prefix)) left.add("process " + SandboxProcesses.describe(p));
        try (Stream<String> mounts = java.nio.file.Files.lines(Path.of("/proc/self/mountinfo"))) {
            mounts.filter(l -> l.contains(root.toString())).forEach(l -> left.add("mount " + l));
        }
        for (String dir : List.of("sandboxes", "locks", "meta")) {
            Path d = root.resolve(dir);
            if (!java.nio.file.Files.isDirectory(d)) continue;
            try (Stream<Path> walk = java.nio.file.Files.walk(d)) {
                walk.filter(p -> !p.equals(d))
                        .filter(p -> dir.equals("sandboxes") || java.nio.file.Files.isRegularFile(p))
                        .forEach(p -> left.add("file " + p));
            }
        }
        Path cgroups = Path.of("/sys/fs/cgroup");
        List<Path> hierarchies = java.nio.file.Files.exists(cgroups.resolve("cgroup.controllers")) ? List.of(cgroups)
                : java.nio.file.Files.list(cgroups).toList();
        for (Path h : hierarchies) {
            Path vcj = h.resolve("vcj");
            if (!java.nio.file.Files.isDirectory(vcj)) continue;
            try (Stream<Path> s = java.nio.file.Files.list(vcj)) {
                s.filter(p -> p.getFileName().toString().startsWith(prefix)).forEach(p -> left.add("cgroup " + p));
            }
        }
        return left;
    }
}
