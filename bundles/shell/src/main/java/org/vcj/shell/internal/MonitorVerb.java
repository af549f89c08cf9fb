package org.vcj.shell.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.vcj.api.InvalidConfigException;
import org.vcj.api.SandboxState;
import org.vcj.api.SandboxStatus;
import org.vcj.api.VC;
import org.vcj.api.VCSandbox;

/**
 * {@code monitor} (like kata-monitor): serves every running sandbox's agent and runtime metrics as one Prometheus
 * text exposition at {@code http://ADDRESS/metrics}, each sample labelled {@code sandbox_id}. Sandboxes are listed
 * anew on each scrape, so one that goes away drops out; each is asked in parallel with a deadline, and one that does
 * not answer in time is skipped and counted, never holding the scrape up.
 */
final class MonitorVerb implements Verb {
    static final String USAGE = """
                vcj monitor [--listen=HOST:PORT] [--timeout=MS]
                  Serves the metrics of every running sandbox of this root at http://HOST:PORT/metrics (Prometheus text,
                  label sandbox_id) until Ctrl-C. --listen: default 127.0.0.1:8090 (loopback). --timeout: how long one
                  sandbox may take to answer a scrape (default 2000); slower ones are skipped and counted.""";

    private final AtomicLong skippedTotal = new AtomicLong();
    private final AtomicLong scrapes = new AtomicLong();

    @Override public String name() { return "monitor"; }

    @Override public String summary() { return "serve the metrics of all sandboxes for Prometheus"; }

    @Override public String usage() { return USAGE; }

    @Override public List<Option> options() { return List.of(Option.value("listen"), Option.value("timeout")); }

    @Override
    public int execute(CommandLine cl, VerbContext ctx) {
        cl.requirePositionals();
        InetSocketAddress address = address(cl.get("listen", "127.0.0.1:8090"));
        long timeoutMillis = cl.intValue("timeout", 2000);
        if (timeoutMillis <= 0) throw new UsageException("--timeout must be a positive number of milliseconds");
        ExecutorService askers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "vcj-monitor-ask");
            t.setDaemon(true);
            return t;
        });
        HttpServer server;
        try {
            server = HttpServer.create(address, 16);
        } catch (IOException e) {
            throw new InvalidConfigException("--listen", address.toString(), "cannot listen there (" + e.getMessage()
                    + "); choose another HOST:PORT");
        }
        server.createContext("/metrics", ex -> serve(ex, ctx.vc(), askers, timeoutMillis));
        server.setExecutor(Executors.newFixedThreadPool(2));
        CountDownLatch stopped = new CountDownLatch(1);
        Runnable stop = () -> {
            server.stop(0);
            askers.shutdownNow();
            ((ExecutorService) server.getExecutor()).shutdownNow();
            stopped.countDown();
        };
        server.start();
        ctx.io().out().println("vcj monitor: serving http://" + address.getHostString() + ":" + server.getAddress().getPort() + "/metrics");
        ctx.io().out().flush();
        try (ShutdownHooks.Registration hook = ctx.hooks().register("vcj-monitor-stop", stop)) {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop.run();
        }
        return 0;
    }

    private void serve(HttpExchange ex, VC vc, ExecutorService askers, long timeoutMillis) throws IOException {
        try (ex) {
            if (!ex.getRequestMethod().equals("GET")) {
                ex.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = scrape(vc, askers, timeoutMillis).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** One scrape: every running or paused sandbox asked in parallel, each within the deadline. */
    String scrape(VC vc, ExecutorService askers, long timeoutMillis) {
        long start = System.nanoTime();
        List<SandboxStatus> sandboxes = vc.listSandbox();
        List<String> ids = new ArrayList<>();
        List<CompletableFuture<String>> answers = new ArrayList<>();
        for (SandboxStatus s : sandboxes) {
            if (s.state() != SandboxState.RUNNING && s.state() != SandboxState.PAUSED) continue;
            ids.add(s.id());
            answers.add(CompletableFuture.supplyAsync(() -> {
                VCSandbox sb = vc.fetchSandbox(s.id());
                try {
                    sb.updateRuntimeMetrics();
                    return sb.getAgentMetrics();
                } finally {
                    sb.release();
                }
            }, askers));
        }
        PrometheusMerge merged = new PrometheusMerge();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        int answered = 0;
        int skipped = 0;
        for (int i = 0; i < ids.size(); i++) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                merged.add(ids.get(i), answers.get(i).get(left, TimeUnit.NANOSECONDS));
                answered++;
            } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
                answers.get(i).cancel(true);
                skipped++;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        skippedTotal.addAndGet(skipped);
        merged.own("vcj_monitor_sandboxes", "gauge", "Sandboxes of this root, by what this scrape got from them.",
                "vcj_monitor_sandboxes{result=\"answered\"} " + answered + "\nvcj_monitor_sandboxes{result=\"skipped\"} " + skipped
                        + "\nvcj_monitor_sandboxes{result=\"not_running\"} " + (sandboxes.size() - ids.size()));
        merged.own("vcj_monitor_skipped_total", "counter", "Sandboxes skipped because they did not answer in time or failed.",
                "vcj_monitor_skipped_total " + skippedTotal.get());
        merged.own("vcj_monitor_scrapes_total", "counter", "Scrapes served.", "vcj_monitor_scrapes_total " + scrapes.incrementAndGet());
        merged.own("vcj_monitor_scrape_duration_seconds", "gauge", "How long this scrape took.",
                "vcj_monitor_scrape_duration_seconds " + (System.nanoTime() - start) / 1e9);
        return merged.text();
    }

    static InetSocketAddress address(String listen) {
        int colon = listen.lastIndexOf(':');
        if (colon <= 0 || colon == listen.length() - 1) throw new UsageException("--listen takes HOST:PORT, got '" + listen + "'");
        String host = listen.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new UsageException("--listen: '" + listen.substring(colon + 1) + "' is not a port number");
        }
        if (port < 0 || port > 65535) throw new UsageException("--listen: port " + port + " is out of range 0-65535");
        try {
            return new InetSocketAddress(InetAddress.getByName(host.replaceAll("^\\[|\\]$", "")), port);
        } catch (IOException e) {
            throw new UsageException("--listen: unknown host '" + host + "'");
        }
    }
}
