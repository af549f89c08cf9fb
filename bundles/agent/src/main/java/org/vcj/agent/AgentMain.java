package org.vcj.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.vcj.agent.internal.AgentOptions;
import org.vcj.agent.internal.AgentServer;

/**
 * Entry point of the vcj guest agent. See {@link AgentOptions#USAGE} for the command line.
 * Exit codes: 0 after SIGTERM/SIGINT (containers are killed and deleted first), 2 on a bad command line, 1 when the server cannot start.
 */
public final class AgentMain {
    private static final String LOG_FORMAT = "java.util.logging.SimpleFormatter.format";

    private AgentMain() {
    }

    /** Runs the agent until SIGTERM. */
    public static void main(String[] args) throws Exception {
        long startNanos = System.nanoTime();
        // one line per record, in milliseconds: the guest console is the boot timeline (JUL's default: two lines, seconds)
        if (System.getProperty(LOG_FORMAT) == null) System.setProperty(LOG_FORMAT, "%1$tF %1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
        AgentOptions opts;
        try {
            opts = AgentOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("vcj-agent: " + e.getMessage());
            System.err.println(AgentOptions.USAGE);
            System.exit(2);
            return;
        }
        AgentServer server;
        try {
            server = new AgentServer(opts, startNanos);
            AgentServer s = server;
            Runnable stop = () -> {
                s.close();
                System.exit(0);
            };
            // a signal handler instead of a shutdown hook: java.util.logging resets itself in its own
            // hook, so the shutdown would run unlogged
            for (String sig : new String[] {"TERM", "INT"}) {
                sun.misc.Signal.handle(new sun.misc.Signal(sig), x -> new Thread(stop, "agent-shutdown").start());
            }
            start(server, startNanos);
        } catch (Exception e) {
            System.getLogger("org.vcj.agent").log(System.Logger.Level.ERROR, "agent failed to start: " + e, e);
            System.exit(1);
            return;
        }
        server.awaitTermination();
    }

    /** Builds and starts an agent (also used in-process by tests); the caller closes it. */
    public static AgentServer start(AgentOptions opts, long startNanos) throws Exception {
        return start(new AgentServer(opts, startNanos), startNanos);
    }

    /** The system's uptime (in a guest: the time since its kernel started), for the boot timeline; empty if unknown. */
    private static String uptime() {
        try {
            return ", uptime " + Files.readString(Path.of("/proc/uptime")).split(" ")[0] + " s";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static AgentServer start(AgentServer server, long startNanos) throws Exception {
        server.start();
        long ms = sinceJvmStart(startNanos);
        server.health().startupMillis(ms);
        System.getLogger("org.vcj.agent").log(System.Logger.Level.INFO, "agent ready {0} ms after JVM start{1}",
                String.valueOf(ms), uptime());
        return server;
    }

    /**
     * Process age from /proc (uptime minus the process start time in clock ticks, 10 ms precision);
     * ProcessHandle's startInstant uses the whole-second boot time and can be off by up to 1 s.
     */
    private static long sinceJvmStart(long startNanos) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long startTicks = Long.parseLong(f[19]);
            String up = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/uptime"));
            double uptime = Double.parseDouble(up.substring(0, up.indexOf(' ')));
            return Math.max(0, Math.round(uptime * 1000 - startTicks * 10));
        } catch (java.io.IOException | RuntimeException e) {
            return (System.nanoTime() - startNanos) / 1_000_000L;
        }
    }
}
