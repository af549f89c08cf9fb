package org.vcj.distribution;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.vcj.api.Cmd;
import org.vcj.api.ContainerConfig;
import org.vcj.api.HypervisorType;
import org.vcj.api.PluginNotFoundException;
import org.vcj.api.SandboxConfig;
import org.vcj.api.SandboxState;
import org.vcj.api.VC;
import org.vcj.api.VCSandbox;
import org.vcj.distribution.acme.AcmeHypervisor;

/**
 * A third-party hypervisor bundle copied into the watched plugins directory while the runtime runs is usable at
 * once; removing it makes its type an error that lists what is installed, and leaves other sandboxes running.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DropInPluginIT {

    private static final Path ROOT = Path.of(System.getProperty("java.io.tmpdir"), "vcj-plugin-" + ProcessHandle.current().pid());
    private static final long WAIT_MILLIS = 20_000;

    @Inject
    private VC vc;

    @Configuration
    public Option[] config() throws IOException {
        Files.createDirectories(ROOT.resolve("plugins"));
        return Distribution.options(ROOT);
    }

    private static SandboxConfig sandbox(String id, String hypervisor, String... args) {
        String rootfs = Distribution.home().resolve("rootfs/busybox").toString();
        ContainerConfig c = ContainerConfig.builder(id).rootFs(rootfs).cmd(Cmd.builder(args).build()).build();
        return SandboxConfig.builder(id).hypervisorType(new HypervisorType(hypervisor)).containers(List.of(c)).build();
    }

    @Test
    public void aDroppedInHypervisorIsUsableAtOnceAndRemovedCleanly() throws Exception {
        assertThrows(PluginNotFoundException.class, () -> vc.createSandbox(sandbox("acme-0", "acme", "true")));
        VCSandbox other = vc.runSandbox(sandbox("keep", "mock", "sleep", "600"));

        Path jar = ROOT.resolve("plugins/acme-hypervisor.jar");
        writeAcmeBundle(jar);
        VCSandbox acme = awaitRun(sandbox("acme-1", "acme", "/bin/sh", "-c", "echo from acme; exit 4"));
        assertEquals("from acme\n", new String(acme.ioStream("acme-1", "acme-1").stdout().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(4, acme.waitProcess("acme-1", "acme-1"));
        Path log = ROOT.resolve("sandboxes/acme-1/acme.log");
        vc.stopSandbox("acme-1", false);
        List<String> acmeLog = Files.readAllLines(log);
        vc.deleteSandbox("acme-1");
        assertEquals(List.of("startVM acme-1", "stopVM acme-1"), acmeLog);

        VCSandbox fromFactory = vc.createSandbox(sandbox("acme-2", "acme", "/bin/sh", "-c", "exit 6"), "acme");
        fromFactory.start();
        assertEquals(6, fromFactory.waitProcess("acme-2", "acme-2"));
        vc.stopSandbox("acme-2", false);
        assertEquals("the dropped-in factory made the VM, with the hypervisor the core gave it",
                List.of("newVM acme-2", "startVM acme-2", "stopVM acme-2"), Files.readAllLines(ROOT.resolve("sandboxes/acme-2/acme.log")));
        vc.deleteSandbox("acme-2");

        Files.delete(jar);
        PluginNotFoundException gone = awaitUnregistered();
        assertTrue(gone.installed().contains("mock"));
        PluginNotFoundException factoryGone = assertThrows(PluginNotFoundException.class,
                () -> vc.createSandbox(sandbox("acme-3", "mock", "true"), "acme"));
        assertTrue(factoryGone.getMessage(), factoryGone.installed().contains("direct") && factoryGone.installed().contains("template"));
        assertEquals(SandboxState.RUNNING, vc.statusSandbox("keep").state());
        assertEquals(0, vc.fetchSandbox("keep").waitProcess("keep", vc.enterContainer("keep", "keep", Cmd.builder("true").build()).process().token()));
        vc.stopSandbox("keep", true);
        vc.deleteSandbox("keep");
        assertEquals(List.of(), Distribution.processesMentioning(ROOT.resolve("sandboxes").toString()));
        assertTrue(other.id().equals("keep"));
    }

    private VCSandbox awaitRun(SandboxConfig config) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (true) {
            try {
                return vc.runSandbox(config);
            } catch (PluginNotFoundException notYet) {
                if (System.currentTimeMillis() > deadline) throw notYet;
                Thread.sleep(200);
            }
        }
    }

    private PluginNotFoundException awaitUnregistered() throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            // "keep" exists: while acme is registered this fails as a duplicate, before anything is created.
            try {
                vc.createSandbox(sandbox("keep", "acme", "true"));
            } catch (PluginNotFoundException gone) {
                return gone;
            } catch (org.vcj.api.AlreadyExistsException stillThere) {
                Thread.sleep(200);
            }
        }
        throw new AssertionError("the acme hypervisor stayed registered after its jar was removed");
    }

    /** Packs the sample plugin's classes into a bundle, as a vendor's build would. */
    private static void writeAcmeBundle(Path jar) throws IOException {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "com.acme.vcj.hypervisor");
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Bundle-Activator", AcmeHypervisor.class.getName());
        a.putValue("Import-Package", "org.vcj.api;version=\"[0.1,1)\",org.vcj.api.hypervisor;version=\"[0.1,1)\","
                + "org.vcj.api.factory;version=\"[0.2,1)\",org.osgi.framework,org.osgi.util.tracker");
        Path classes = Distribution.home().getParent().resolve("test-classes");
        String pkg = AcmeHypervisor.class.getPackageName().replace('.', '/');
        Path tmp = jar.resolveSibling("acme.tmp");
        try (OutputStream out = Files.newOutputStream(tmp); JarOutputStream j = new JarOutputStream(out, mf);
             Stream<Path> files = Files.list(classes.resolve(pkg))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                j.putNextEntry(new JarEntry(pkg + "/" + f.getFileName()));
                j.write(Files.readAllBytes(f));
                j.closeEntry();
            }
        }
        Files.move(tmp, jar);
    }
}
