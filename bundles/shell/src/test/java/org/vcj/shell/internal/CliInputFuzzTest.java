package org.vcj.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import org.vcj.api.ContainerState;
import org.vcj.api.SandboxState;
import org.vcj.api.VcException;
import org.vcj.testing.fuzz.FuzzInputs;

/**
 * Untrusted CLI input, fuzzed through the real verbs on a fake VC: {@code vcj run} options and {@code vcj network}
 * JSON files. Every input gives exit status 0 or a typed one-line error (status 1 or 2, "vcj: ..."), never an internal
 * error (an unexpected exception type), within five seconds; a failing call leaves the sandboxes as they were.
 */
class CliInputFuzzTest {

    private static final List<String> RUN_OPTIONS = List.of("--hypervisor=", "--factory=", "--rootfs=", "--id=", "--cpus=",
            "--memory=", "--env=", "-e", "--workdir=", "--device=", "--volume=", "--netns=", "--hypervisor", "--id");
    private static final List<String> RUN_WORDS = List.of("mock", "qemu", "template", "cache", "direct", "/opt/rootfs", "/",
            "/proc/self/root", "sb1", "A=b", "/dev/vdb:/dev/xyz", "/srv:/data", "/srv:data", "1", "128", "sh", "true");
    private static final List<String> NET_KEYS = List.of("device", "name", "IPAddresses", "ipAddresses", "family",
            "address", "mask", "mtu", "hwAddr", "pciPath", "type", "rawFlags", "Routes", "routes", "dest", "gateway",
            "source", "scope", "eth0", "192.0.2.1", "24", "198.51.100.0/24", "4", "6", "10");

    private static Path dir;

    @BeforeContainer
    static void makeDir() throws Exception {
        dir = Files.createTempDirectory("vcj-cli-fuzz-");
    }

    @AfterContainer
    static void removeDir() throws Exception {
        Files.deleteIfExists(dir.resolve("net.json"));
        Files.deleteIfExists(dir);
    }

    @Provide
    Arbitrary<List<String>> runArgs() {
        Arbitrary<String> option = Combinators.combine(Arbitraries.of(RUN_OPTIONS), FuzzInputs.text(RUN_WORDS))
                .as((o, v) -> o.endsWith("=") ? o + v : o);
        Arbitrary<String> token = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(5, option),
                net.jqwik.api.Tuple.of(2, Arbitraries.of("-d", "--detach", "-t", "--tty", "--", "-", "-dt", "--bogus")),
                net.jqwik.api.Tuple.of(3, FuzzInputs.text(RUN_WORDS)));
        return token.list().ofMaxSize(10).map(l -> {
            List<String> args = new ArrayList<>(List.of("run"));
            args.addAll(l);
            return args;
        });
    }

    @Property
    void runOptionsGiveASandboxOrATypedError(@ForAll("runArgs") List<String> args) throws Exception {
        FakeVc vc = new FakeVc();
        vc.addSandbox("sb1", SandboxState.RUNNING, "mock", Instant.EPOCH, FakeVc.container("sb1", ContainerState.RUNNING, 1, null));
        Set<String> before = Set.copyOf(vc.sandboxes.keySet());
        Call c = call(vc, args);
        assertOk(c);
        if (c.code != 0) assertEquals(before, Set.copyOf(vc.sandboxes.keySet()), "a failed run changed nothing: " + args);
    }

    @Provide
    Arbitrary<String> networkJson() {
        return FuzzInputs.jsonText(NET_KEYS);
    }

    @Property
    void networkFilesGiveAChangeOrATypedError(@ForAll("networkJson") String json,
                                              @ForAll("networkActions") String action) throws Exception {
        Files.write(dir.resolve("net.json"), json.getBytes(StandardCharsets.UTF_8));
        FakeVc vc = new FakeVc();
        vc.addSandbox("sb1", SandboxState.RUNNING, "mock", Instant.EPOCH, FakeVc.container("sb1", ContainerState.RUNNING, 1, null));
        Call c = call(vc, List.of("network", action, "sb1", dir.resolve("net.json").toString()));
        // the fake VC has no network: an input that got past the file's checks reaches it and ends there
        if (c.err.contains("internal error: java.lang.UnsupportedOperationException: ")) return;
        assertOk(c);
    }

    @Provide
    Arbitrary<String> networkActions() {
        return Arbitraries.of("add-iface", "del-iface", "update-routes");
    }

    @Property
    void networkJsonParsesOrFailsTyped(@ForAll("networkJson") String json) throws Exception {
        try {
            FuzzInputs.bounded(1000, () -> {
                Object parsed = JsonText.parse(json);
                try {
                    NetworkJson.iface(parsed);
                } catch (UsageException | VcException e) {
                    assertTrue(FuzzInputs.oneLine(e.getMessage()), e.getMessage());
                }
                return NetworkJson.routes(parsed);
            });
        } catch (UsageException | VcException e) {
            assertTrue(FuzzInputs.oneLine(e.getMessage()), e.getMessage());
        }
    }

    /** Found by the property: a truncated or non-hex \\u escape threw StringIndexOutOfBounds / NumberFormatException. */
    @Example
    void badUnicodeEscapesAndDeepNestingAreTypedErrors() throws Exception {
        networkJsonParsesOrFailsTyped("{\"device\":\"\\u00");
        networkJsonParsesOrFailsTyped("{\"device\":\"\\uZZZZ\"}");
        networkJsonParsesOrFailsTyped("[".repeat(100_000));
        UsageException e = org.junit.jupiter.api.Assertions.assertThrows(UsageException.class, () -> JsonText.parse("[".repeat(100_000)));
        assertTrue(e.getMessage().toLowerCase().contains("nesting depth"), e.getMessage());
        assertEquals("a\r\b\f\u00e9", JsonText.parse("\"a\\r\\b\\f\\u00e9\""));
    }

    /** Found by the property in CI: an interface name holding a line break made a two-line error message. */
    @Example
    void aRejectedValueIsQuotedOnOneLine() throws Exception {
        networkJsonParsesOrFailsTyped("{\"name\":\"\\n\"}");
        VcException e = org.junit.jupiter.api.Assertions.assertThrows(VcException.class,
                () -> NetworkJson.iface(JsonText.parse("{\"name\":\"a\\nb\\u0001\"}")));
        assertTrue(e.getMessage().contains("'a\\nb\\u0001'"), e.getMessage());
    }

    private record Call(int code, String out, String err) { }

    private static Call call(FakeVc vc, List<String> args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ShutdownHooks hooks = (name, action) -> () -> { };
        VerbDispatcher cli = new VerbDispatcher(vc, Map.of("vcj.rootfs", "/opt/rootfs")::get, hooks);
        int code = FuzzInputs.bounded(5000, () -> cli.main(args.toArray(String[]::new),
                new Io(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true), new PrintStream(err, true), true)));
        return new Call(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void assertOk(Call c) {
        assertFalse(c.err.contains("internal error"), "an unexpected exception: " + c.err);
        if (c.code != 0) {
            assertTrue(c.err.startsWith("vcj"), "a typed error: " + c.err);
            assertTrue(c.code == 1 || c.code == 2, "status " + c.code + ": " + c.err);
        }
    }
}
