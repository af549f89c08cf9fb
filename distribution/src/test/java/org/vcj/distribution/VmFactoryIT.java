package org.vcj.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The template and cache VM factories on real QEMU (TCG), driven by fresh CLI JVMs: a build killed half-way is
 * recovered, clones run containers and are independent of each other, a cache server serves sandboxes, refills and
 * quits, and destroy leaves nothing. The tests share one root and one template, in order.
 */
@Tag("vm")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VmFactoryIT {

    private static final Path ROOT = Path.of(System.getProperty("java.io.tmpdir"), "vcj-factory-" + ProcessHandle.current().pid());
    private static final Path TEMPLATES = ROOT.resolve("factory/template");

    private final Cli cli = new Cli(ROOT, "fs");

    @AfterAll
    static void removeEverything() throws Exception {
        Cli cli = new Cli(ROOT, "fs");
        for (String line : cli.run("list").out().lines().skip(1).toList()) cli.run("delete", "--force", line.split("\\s+")[0]);
        cli.run("factory", "destroy", "--factory=cache");
        cli.run("factory", "destroy");
        Distribution.stopProcessesMentioning(ROOT.toString());
        Distribution.deleteTree(ROOT);
    }

    @Test
    @Order(1)
    void aTemplateBuildKilledHalfWayIsNeverUsedAndIsRemovedByTheNextBuild() throws Exception {
        Process init = background("factory", "init", "--hypervisor=qemu");
        try {
            await("the template VM to start", 120, () -> builds().stream().anyMatch(b -> Files.exists(b.resolve("run/qemu.pid"))));
        } finally {
            init.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            init.destroyForcibly();
            init.waitFor(30, TimeUnit.SECONDS);
        }
        assertEquals(1, builds().size(), "the killed build left its directory");
        assertFalse(cli.run("factory", "status").out().contains("ready"), "no template is ready");
    }

    @Test
    @Order(2)
    void theFirstTemplateRunMakesTheTemplateAndRunsTheContainerInAClone() throws Exception {
        String guestKernel = Files.readAllLines(Distribution.home().resolve("guest/manifest")).stream()
                .filter(l -> l.startsWith("kernel ")).findFirst().orElseThrow().substring("kernel ".length());
        assertTrue(guestKernel.endsWith("-vcj"), "vcj's own guest kernel: " + guestKernel);
        Cli.Result r = cli.run("run", "--hypervisor=qemu", "--factory=template", "--id=t-uname", "--", "sh", "-c", "uname -r; exit 7");
        assertEquals(7, r.code(), r.err());
        assertEquals(guestKernel + "\n", r.out());
        assertEquals(List.of(), builds(), "the killed build's directory was removed");
        assertEquals(List.of(), Distribution.processesMentioning(".build-"), "the killed build's QEMU was stopped");
        Cli.Result status = cli.run("factory", "status");
        assertTrue(status.out().lines().anyMatch(l -> l.startsWith("template") && l.contains(" ready ")), status.out());
        assertFalse(Files.exists(ROOT.resolve("sandboxes/t-uname")), "the sandbox was deleted");
    }

    @Test
    @Order(3)
    void twoClonesAtOnceAreIndependent() throws Exception {
        List<Path> before = templates();
        assertEquals(0, cli.run("run", "--detach", "--hypervisor=qemu", "--factory=template", "--id=c1", "--", "sleep", "600").code());
        assertEquals(0, cli.run("run", "--detach", "--hypervisor=qemu", "--factory=template", "--id=c2", "--", "sleep", "600").code());
        assertEquals(before, templates(), "both clones came from the template the earlier JVM made");
        String probe = "hostname; head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \\n'; echo; date +%s";
        List<String> one = cli.run("exec", "c1", "--", "sh", "-c", probe).out().lines().toList();
        List<String> two = cli.run("exec", "c2", "--", "sh", "-c", probe).out().lines().toList();
        assertEquals(List.of("c1", "c2"), List.of(one.get(0), two.get(0)), "each clone has its sandbox's hostname");
        assertEquals(32, one.get(1).length());
        assertNotEquals(one.get(1), two.get(1), "different bytes from /dev/urandom");
        long now = System.currentTimeMillis() / 1000;
        for (List<String> clone : List.of(one, two)) {
            long lag = Math.abs(now - Long.parseLong(clone.get(2)));
            assertTrue(lag < 30, "the clone's clock was set, not the template's (off by " + lag + " s)");
        }
        assertEquals(0, cli.run("exec", "c1", "--", "sh", "-c", "echo only-c1 > /only-c1").code());
        assertEquals(0, cli.run("exec", "c1", "--", "test", "-f", "/only-c1").code());
        assertEquals(1, cli.run("exec", "c2", "--", "test", "-f", "/only-c1").code(), "a file written in one clone is not in the other");
        Cli.Result status = cli.run("factory", "status");
        assertTrue(status.out().lines().anyMatch(l -> l.contains(" ready ") && l.matches(".*\\s2\\s+qemu.*")),
                "the template counts two running clones:\n" + status.out());
        for (String id : List.of("c1", "c2")) assertEquals(0, cli.run("delete", "--force", id).code());
        assertEquals(List.of(), Distribution.processesMentioning(ROOT.resolve("sandboxes").toString()));
    }

    @Test
    @Order(4)
    void aCacheServerServesSandboxesRefillsAndQuits() throws Exception {
        assertTrue(cli.run("run", "--hypervisor=qemu", "--factory=cache", "--", "true").err().contains("factory serve"),
                "without a server the error says how to start one");
        Process server = background("factory", "serve", "--factory=cache", "--size=1", "--hypervisor=qemu", "--from=template");
        try {
            await("one cached VM", 120, () -> cacheStatus().lines().anyMatch(l -> l.startsWith("cache") && l.contains(" ready ")));
            Cli.Result hi = cli.run("run", "--hypervisor=qemu", "--factory=cache", "--", "echo", "hi");
            assertEquals(0, hi.code(), hi.err());
            assertEquals("hi\n", hi.out());
            assertEquals(0, cli.run("run", "--detach", "--hypervisor=qemu", "--factory=cache", "--id=k2", "--", "sleep", "600").code());
            Path k2vm = ROOT.resolve("sandboxes/k2/vm");
            String console = Files.readString(k2vm.resolve("console.log"), java.nio.charset.StandardCharsets.ISO_8859_1);
            assertTrue(console.contains("sandbox vcj-template-warmup created") && console.contains("container vcj-template-warmup started"),
                    "the cache warmed its VM up with a throw-away sandbox before handing it out:\n" + console);
            assertTrue(console.indexOf("sandbox k2 created") > console.lastIndexOf("vcj-template-warmup"), "k2's sandbox came after the warm-up");
            assertFalse(Files.exists(k2vm.resolve("shared/vcj-template-warmup")), "the warm-up's files are gone from the VM's share");
            await("the cache to refill", 120, () -> cacheStatus().contains("handed out 2")
                    && cacheStatus().lines().anyMatch(l -> l.startsWith("cache") && l.contains(" ready ")));
            assertEquals(0, cli.run("factory", "destroy", "--factory=cache").code());
            assertTrue(server.waitFor(60, TimeUnit.SECONDS), "the server quit");
        } finally {
            server.destroyForcibly();
        }
        // k2's QEMU, and with qemu.user its share's proxy helper (pid files in its run directory), started there
        List<String> k2 = new java.util.ArrayList<>();
        try (Stream<Path> pids = Files.list(ROOT.resolve("sandboxes/k2/vm"))) {
            for (Path p : pids.filter(p -> p.getFileName().toString().endsWith(".pid")).sorted().toList()) k2.add(Files.readString(p).trim());
        }
        assertEquals(k2.stream().sorted().toList(), Distribution.processesMentioning(ROOT.resolve("factory/cache").toString()).stream()
                .map(p -> p.substring(0, p.indexOf(':'))).sorted().toList(), "no cached VM left but the one k2 took (started there)");
        assertFalse(Files.exists(ROOT.resolve("factory/cache")));
        Cli.Result alive = cli.run("exec", "k2", "--", "echo", "mine");
        assertEquals("mine\n", alive.out(), "a VM handed out keeps running after Quit: " + alive.err());
        assertEquals(0, cli.run("delete", "--force", "k2").code());
    }

    @Test
    @Order(5)
    void destroyLeavesNoTemplateFileAndNoProcess() throws Exception {
        Cli.Result r = cli.run("factory", "destroy");
        assertEquals(0, r.code(), r.err());
        assertFalse(Files.exists(TEMPLATES), "no template file left");
        assertEquals(List.of(), Distribution.processesMentioning(ROOT.toString()), "no process of this root left");
        assertFalse(cli.run("factory", "status").out().contains("template "));
        Path netns = Path.of("/var/run/netns");
        if (Files.isDirectory(netns)) {
            try (java.util.stream.Stream<Path> s = Files.list(netns)) {
                assertEquals(List.of(), s.map(p -> p.getFileName().toString()).filter(n -> n.matches("vcj-(template|cache|t-uname|c1|c2|k2)-.*")).toList(), "no network namespace of a template or clone left");
            }
        }
    }

    private String cacheStatus() {
        try {
            return cli.run("factory", "status", "--factory=cache").out();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private Process background(String... verb) throws IOException {
        Files.createDirectories(ROOT);
        List<String> cmd = new java.util.ArrayList<>(List.of(Distribution.home().resolve("bin/vcj").toString(), "--root=" + ROOT, "--storage=fs"));
        cmd.addAll(List.of(verb));
        return new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(ROOT.resolve("background.log").toFile())).start();
    }

    private static List<Path> builds() {
        return children(p -> p.getFileName().toString().startsWith(".build-"));
    }

    private static List<Path> templates() {
        return children(p -> !p.getFileName().toString().startsWith("."));
    }

    private static List<Path> children(java.util.function.Predicate<Path> which) {
        if (!Files.isDirectory(TEMPLATES)) return List.of();
        try (Stream<Path> s = Files.list(TEMPLATES)) {
            return s.filter(Files::isDirectory).filter(which).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void await(String what, int seconds, BooleanSupplier done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("waited " + seconds + " s for " + what);
            Thread.sleep(250);
        }
    }
}
