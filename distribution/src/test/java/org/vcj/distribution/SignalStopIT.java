package org.vcj.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code vcj monitor} and {@code vcj shell} started as a script's background job (SIGINT ignored there) stop cleanly
 * on SIGTERM, SIGINT and SIGHUP: the exit status of the signal (or 0), the monitor's port free again, and the
 * running sandbox they did not own still running.
 */
class SignalStopIT {

    @TempDir Path tmp;
    private ScriptJob job;

    @AfterEach
    void stop() throws Exception {
        if (job != null) job.kill();
        Cli cli = new Cli(tmp.resolve("root"), "fs");
        cli.run("delete", "--force", "keep");
        Distribution.stopProcessesMentioning(tmp.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT", "HUP"})
    void theMonitorStopsOnTheSignalFreesItsPortAndLeavesTheSandboxAlone(String signal) throws Exception {
        Cli cli = new Cli(tmp.resolve("root"), "fs");
        Cli.Result r = cli.run("run", "--detach", "--hypervisor=mock", "--id=keep", "--", "sleep", "600");
        assertEquals(0, r.code(), r.err());
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        job = ScriptJob.start(tmp.resolve("root"), tmp.resolve("monitor.log"), "monitor", "--listen=127.0.0.1:" + port);
        awaitOutput("serving http://");
        job.signal(signal);
        int code = job.awaitExit(30);
        assertTrue(code == 0 || code == 128 + number(signal), "exit status " + code + " after SIG" + signal + ": " + job.output());
        try (ServerSocket again = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertEquals(port, again.getLocalPort(), "the monitor's port is free");
        }
        assertTrue(cli.run("status", "keep").out().contains("running"), "the sandbox it did not own runs on");
    }

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT", "HUP"})
    void theInteractiveShellStopsOnTheSignal(String signal) throws Exception {
        job = ScriptJob.start(tmp.resolve("root"), tmp.resolve("shell.log"), "shell");
        // stdin is /dev/null: the console reads its end and the shell stops by itself, or the signal stops it first
        Thread.sleep(TimeUnit.SECONDS.toMillis(3));
        if (job.alive()) job.signal(signal);
        int code = job.awaitExit(30);
        assertTrue(code == 0 || code == 128 + number(signal), "exit status " + code + " after SIG" + signal + ": " + job.output());
        assertTrue(Distribution.processesMentioning(tmp.toString()).isEmpty(), "no process of this root left");
    }

    @Test
    void aShellCommandThatRunsASandboxIsStoppedBySigtermAndLeavesNothing() throws Exception {
        job = ScriptJob.start(tmp.resolve("root"), tmp.resolve("shell-c.log"), "shell", "-c",
                "vc:run --hypervisor=mock --id=shc -- sleep 600");
        Cli cli = new Cli(tmp.resolve("root"), "fs");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!cli.run("status", "shc").out().contains("running")) {
            assertTrue(System.nanoTime() < deadline && job.alive(), "the sandbox did not start: " + job.output());
            Thread.sleep(250);
        }
        job.signal("TERM");
        int code = job.awaitExit(60);
        assertTrue(code == 143 || code == 0, "exit status " + code + ": " + job.output());
        assertTrue(cli.run("list").out().lines().skip(1).noneMatch(l -> l.startsWith("shc ")), cli.run("list").out());
    }

    private void awaitOutput(String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!job.output().contains(text)) {
            assertTrue(job.alive(), "exited: " + job.output());
            assertTrue(System.nanoTime() < deadline, "no '" + text + "' in: " + job.output());
            Thread.sleep(100);
        }
    }

    private static int number(String signal) {
        return switch (signal) {
            case "HUP" -> 1;
            case "INT" -> 2;
            case "TERM" -> 15;
            default -> throw new IllegalArgumentException(signal);
        };
    }
}
