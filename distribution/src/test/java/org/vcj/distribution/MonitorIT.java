package org.vcj.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vcj monitor} on real mock sandboxes: one Prometheus exposition with every running sandbox's agent and
 * runtime metrics labelled by sandbox_id; a sandbox that does not answer (its agent stopped with SIGSTOP) is skipped
 * within the deadline and counted; a deleted sandbox drops out.
 */
class MonitorIT {

    @TempDir Path tmp;
    private Process monitor;

    @AfterEach
    void stop() throws Exception {
        if (monitor != null) {
            monitor.destroy();
            if (!monitor.waitFor(20, TimeUnit.SECONDS)) monitor.destroyForcibly();
        }
        Distribution.stopProcessesMentioning(tmp.toString());
    }

    @Test
    void servesEverySandboxSkipsTheSilentOneAndDropsTheDeleted() throws Exception {
        Cli cli = new Cli(tmp.resolve("root"), "fs");
        for (String id : new String[] {"m1", "m2"}) {
            Cli.Result r = cli.run("run", "--detach", "--hypervisor=mock", "--id=" + id, "--", "sleep", "600");
            assertEquals(0, r.code(), r.err());
        }
        Path log = tmp.resolve("monitor.log");
        monitor = cli.spawn(log, "monitor", "--listen=127.0.0.1:0", "--timeout=1500");
        URI metrics = URI.create("http://127.0.0.1:" + port(log) + "/metrics");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        String both = get(http, metrics);
        for (String id : new String[] {"m1", "m2"}) {
            assertTrue(both.contains("vcj_agent_uptime_seconds{sandbox_id=\"" + id + "\"}"), both);
            assertTrue(Pattern.compile("vcj_hypervisor_pss_bytes\\{sandbox_id=\"" + id + "\",pid=\"\\d+\"} [1-9]").matcher(both).find(), both);
        }
        assertTrue(both.contains("vcj_monitor_sandboxes{result=\"answered\"} 2\n"), both);
        assertEquals(1, both.split("# TYPE vcj_agent_uptime_seconds ", -1).length - 1, "one TYPE line per family: " + both);

        long agent = Long.parseLong(Files.readString(tmp.resolve("root/sandboxes/m2/vm/agent.pid")).trim());
        new ProcessBuilder("kill", "-STOP", Long.toString(agent)).start().waitFor();
        try {
            long start = System.nanoTime();
            String silent = get(http, metrics);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis < 5_000, "the scrape did not wait for the silent sandbox: " + millis + " ms");
            assertTrue(silent.contains("vcj_monitor_sandboxes{result=\"skipped\"} 1\n"), silent);
            assertTrue(silent.contains("vcj_monitor_skipped_total 1\n"), silent);
            assertTrue(silent.contains("sandbox_id=\"m1\""), silent);
            assertFalse(silent.contains("sandbox_id=\"m2\""), silent);
        } finally {
            new ProcessBuilder("kill", "-CONT", Long.toString(agent)).start().waitFor();
        }

        Cli.Result del = cli.run("delete", "--force", "m1");
        assertEquals(0, del.code(), del.err());
        String after = get(http, metrics);
        assertFalse(after.contains("sandbox_id=\"m1\""), after);
        assertTrue(after.contains("vcj_agent_uptime_seconds{sandbox_id=\"m2\"}"), after);
        assertEquals(0, cli.run("delete", "--force", "m2").code());
    }

    private static String get(HttpClient http, URI uri) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        return r.body();
    }

    private int port(Path log) throws Exception {
        Pattern serving = Pattern.compile("serving http://127\\.0\\.0\\.1:(\\d+)/metrics");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Matcher m = serving.matcher(Files.exists(log) ? Files.readString(log) : "");
            if (m.find()) return Integer.parseInt(m.group(1));
            assertTrue(monitor.isAlive(), "vcj monitor exited: " + (Files.exists(log) ? Files.readString(log) : ""));
            Thread.sleep(100);
        }
        throw new AssertionError("vcj monitor did not say where it serves: " + Files.readString(log));
    }
}
