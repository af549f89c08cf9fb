package org.vcj.distribution;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.inject.Inject;

import org.junit.AfterClass;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.vcj.api.AlreadyExistsException;
import org.vcj.api.Cmd;
import org.vcj.api.ContainerConfig;
import org.vcj.api.ContainerState;
import org.vcj.api.ContainerStats;
import org.vcj.api.EnteredProcess;
import org.vcj.api.HypervisorType;
import org.vcj.api.IOStream;
import org.vcj.api.InvalidConfigException;
import org.vcj.api.InvalidStateException;
import org.vcj.api.NotFoundException;
import org.vcj.api.PluginNotFoundException;
import org.vcj.api.SandboxConfig;
import org.vcj.api.SandboxState;
import org.vcj.api.VC;
import org.vcj.api.VCSandbox;

/**
 * The VC service inside a real Felix with exactly the distribution's bundles, running busybox containers on the
 * mock hypervisor: real agent processes, real runc containers, real metadata files.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SandboxIT {

    private static final Path ROOT = Path.of(System.getProperty("java.io.tmpdir"), "vcj-it-" + ProcessHandle.current().pid());

    @Inject
    private VC vc;

    @Configuration
    public Option[] config() {
        return Distribution.options(ROOT);
    }

    /**
     * Runs in the driver after the class: agents a failed test left running get SIGTERM (they remove their
     * containers), then the private state root is deleted.
     */
    @AfterClass
    public static void removeWhatFailedTestsLeft() throws Exception {
        Distribution.stopProcessesMentioning(ROOT.toString());
        Distribution.deleteTree(ROOT);
    }

    private static SandboxConfig sandbox(String id, String... args) {
        String rootfs = Distribution.home().resolve("rootfs/busybox").toString();
        ContainerConfig c = ContainerConfig.builder(id).rootFs(rootfs).cmd(Cmd.builder(args).interactive(true).build()).build();
        return SandboxConfig.builder(id).hypervisorType(HypervisorType.MOCK).containers(List.of(c)).build();
    }

    private static String readAll(InputStream in) throws Exception {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    public void runPrintsAndExitsWithTheContainersCode() throws Exception {
        VCSandbox s = vc.runSandbox(sandbox("it-run", "/bin/sh", "-c", "echo hi; echo oops >&2; exit 3"));
        IOStream io = s.ioStream("it-run", "it-run");
        assertEquals("hi\n", readAll(io.stdout()));
        assertEquals("oops\n", readAll(io.stderr()));
        assertEquals(3, s.waitProcess("it-run", "it-run"));
        assertEquals(ContainerState.STOPPED, vc.statusContainer("it-run", "it-run").state());
        assertEquals(Integer.valueOf(3), vc.statusContainer("it-run", "it-run").exitCode());
        String runDir = ROOT.resolve("sandboxes/it-run").toString();
        assertFalse(Distribution.processesMentioning(runDir).isEmpty());
        vc.stopSandbox("it-run", false);
        vc.deleteSandbox("it-run");
        assertNothingLeft("it-run");
    }

    @Test
    public void aLongRunningContainerAnswersEveryOperation() throws Exception {
        VCSandbox s = vc.runSandbox(sandbox("it-long", "/bin/sleep", "600"));
        assertEquals(SandboxState.RUNNING, vc.statusSandbox("it-long").state());

        EnteredProcess e = vc.enterContainer("it-long", "it-long", Cmd.builder("/bin/sh", "-c", "echo in-vm; exit 7").build());
        IOStream eio = s.ioStream("it-long", e.process().token());
        assertEquals("in-vm\n", readAll(eio.stdout()));
        assertEquals(7, s.waitProcess("it-long", e.process().token()));

        EnteredProcess cat = vc.enterContainer("it-long", "it-long", Cmd.builder("/bin/cat").interactive(true).build());
        IOStream cio = s.ioStream("it-long", cat.process().token());
        try (OutputStream stdin = cio.stdin()) {
            stdin.write("through stdin\n".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals("through stdin\n", readAll(cio.stdout()));
        assertEquals(0, s.waitProcess("it-long", cat.process().token()));

        String ps = vc.processListContainer("it-long", "it-long", null).text();
        assertTrue(ps, ps.contains("sleep 600"));

        vc.pauseSandbox("it-long");
        assertEquals(SandboxState.PAUSED, vc.statusSandbox("it-long").state());
        assertFalse("the mock cannot pause a VM: only the containers are frozen", vc.statusSandbox("it-long").vmPaused());
        assertEquals(ContainerState.PAUSED, vc.statusContainer("it-long", "it-long").state());
        assertThrows(InvalidStateException.class, () -> vc.enterContainer("it-long", "it-long", Cmd.builder("true").build()));
        vc.resumeSandbox("it-long");
        assertEquals(ContainerState.RUNNING, vc.statusContainer("it-long", "it-long").state());

        ContainerStats stats = s.statsContainer("it-long");
        assertTrue(stats.cgroupStats().memoryStats().usage().usage() > 0);
        assertEquals(1, stats.cgroupStats().pidsStats().current());

        // a second container that is still running when the sandbox stops: stop must kill it
        s.createContainer(ContainerConfig.builder("it-long-2").rootFs(Distribution.home().resolve("rootfs/busybox").toString())
                .cmd(Cmd.builder("/bin/sleep", "601").build()).build());
        s.startContainer("it-long-2");
        long survivor = vc.statusContainer("it-long", "it-long-2").pid();
        assertTrue("container pid " + survivor + " runs on the host", ProcessHandle.of(survivor).map(ProcessHandle::isAlive).orElse(false));

        vc.killContainer("it-long", "it-long", 9, false);
        assertEquals(137, s.waitProcess("it-long", "it-long"));
        assertEquals(ContainerState.STOPPED, vc.statusContainer("it-long", "it-long").state());
        vc.stopSandbox("it-long", false);
        assertEquals(SandboxState.STOPPED, vc.statusSandbox("it-long").state());
        vc.deleteSandbox("it-long");
        assertNothingLeft("it-long");
        assertFalse("stop killed the running container " + survivor, ProcessHandle.of(survivor).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    public void deleteStopsARunningSandboxFirst() throws Exception {
        vc.runSandbox(sandbox("it-del", "/bin/sleep", "600"));
        long pid = vc.statusContainer("it-del", "it-del").pid();
        assertTrue("container pid " + pid + " runs on the host", ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        vc.deleteSandbox("it-del");
        assertThrows(NotFoundException.class, () -> vc.statusSandbox("it-del"));
        assertNothingLeft("it-del");
        assertFalse("delete killed the container " + pid, ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    public void badInputIsATypedErrorAndChangesNothing() throws Exception {
        for (String bad : new String[] {"a/b", "..", "", "x".repeat(300)}) {
            assertThrows(bad, InvalidConfigException.class, () -> sandbox(bad, "true"));
            assertThrows(bad, InvalidConfigException.class, () -> vc.statusSandbox(bad));
        }
        assertThrows(NotFoundException.class, () -> vc.statusSandbox("it-none"));
        SandboxConfig acme = SandboxConfig.builder("it-acme").hypervisorType(new HypervisorType("acme")).build();
        PluginNotFoundException unknown = assertThrows(PluginNotFoundException.class, () -> vc.createSandbox(acme));
        assertTrue(unknown.installed().contains("mock"));
        assertThrows(NotFoundException.class, () -> vc.statusSandbox("it-acme"));
        assertFalse("nothing stored for a refused sandbox", Files.exists(ROOT.resolve("sandboxes/it-acme")));
        assertFalse(Files.exists(ROOT.resolve("meta/sandbox/it-acme")));

        vc.createSandbox(sandbox("it-dup", "true"));
        byte[] before = Files.readAllBytes(ROOT.resolve("meta/sandbox/it-dup"));
        assertThrows(AlreadyExistsException.class, () -> vc.createSandbox(sandbox("it-dup", "true")));
        assertThrows(InvalidStateException.class, () -> vc.pauseSandbox("it-dup"));
        assertArrayEquals(before, Files.readAllBytes(ROOT.resolve("meta/sandbox/it-dup")));
        vc.deleteSandbox("it-dup");
        assertNothingLeft("it-dup");
    }

    private static void assertNothingLeft(String id) {
        assertFalse(Files.exists(ROOT.resolve("sandboxes").resolve(id)));
        assertFalse(Files.exists(ROOT.resolve("meta/sandbox").resolve(id)));
        assertEquals(List.of(), Distribution.processesMentioning(ROOT.resolve("sandboxes").resolve(id).toString()));
        assertEquals(List.of(), Distribution.processesInCgroup("/vcj/" + id + "/"));
    }
}
