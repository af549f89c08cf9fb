package org.vcj.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code vcj factory ...}: which factory and which VMs each action names, the table, bad input. */
@Timeout(30)
class FactoryVerbTest {
    final FakeVc vc = new FakeVc();
    final Map<String, String> props = new HashMap<>(Map.of("vcj.vcpus", "3"));
    final VerbDispatcher cli = new VerbDispatcher(vc, props::get, (name, action) -> () -> { });
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int main(String... args) {
        return cli.main(args, new Io(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true), new PrintStream(err, true), true));
    }

    @Test
    void initDescribesTheVmsLikeRunAndPrintsTheStatusTable() {
        assertEquals(0, main("factory", "init", "--hypervisor=qemu"));
        assertEquals(List.of("initFactory template qemu 3"), vc.calls);
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertTrue(lines.get(0).startsWith("FACTORY   NAME  STATE  SIZE     CREATED  VMS  DETAIL"), lines.get(0));
        assertTrue(lines.get(1).startsWith("template  k1    ready  4.0 KiB  -"), lines.get(1));
    }

    @Test
    void statusDestroyAndServeNameTheirFactory() {
        props.put("vcj.factory", "cache");
        assertEquals(0, main("factory", "status"));
        assertEquals(0, main("factory", "destroy", "--factory=template"));
        assertEquals(0, main("factory", "serve", "--size=4", "--from=template"));
        assertEquals(List.of("factoryStatus cache", "destroyFactory template", "serveFactory cache template 4 qemu"), vc.calls);
    }

    @Test
    void serveAndInitUseQemuUnlessAHypervisorIsNamed() {
        assertEquals(0, main("factory", "serve", "--hypervisor=mock"));
        props.put("vcj.hypervisor", "mock");
        assertEquals(0, main("factory", "serve"));
        props.remove("vcj.hypervisor");
        assertEquals(0, main("factory", "serve"));
        assertEquals(0, main("factory", "init"));
        assertEquals(List.of("serveFactory cache direct 2 mock", "serveFactory cache direct 2 mock", "serveFactory cache direct 2 qemu",
                "initFactory template qemu 3"), vc.calls);
    }

    @Test
    void aMissingOrUnknownActionIsAUsageError() {
        assertEquals(2, main("factory"));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("vcj factory: missing ACTION"), err.toString(StandardCharsets.UTF_8));
        assertEquals(2, main("factory", "explode"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown action 'explode'"));
        assertEquals(List.of(), vc.calls);
    }
}
