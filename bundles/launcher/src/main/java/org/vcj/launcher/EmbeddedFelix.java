package org.vcj.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.felix.framework.Felix;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.launch.Framework;
import org.osgi.util.tracker.ServiceTracker;
import org.vcj.support.fs.FileTrees;

/** A Felix framework with a throw-away cache, running every bundle of {@code <home>/bundle}. */
final class EmbeddedFelix implements AutoCloseable {

    private static final String JLINE_SHELL = "org.apache.felix.gogo.jline";
    private static final String JLINE = "org.jline";
    private static final String CONFIG_ADMIN = "org.apache.felix.configadmin";
    private static final String CACHE_PREFIX = "vcj-felix-";

    private final Framework framework;
    private final Path cache;

    /**
     * @param logFile the log file ({@link LogFileSetup}), given to bundles as framework property {@code vcj.log.file};
     *                {@code null} when there is none
     */
    EmbeddedFelix(Path home, GlobalOptions options, Map<String, String> settings, boolean interactiveShell, Path logFile)
            throws Exception {
        removeCachesOfDeadLaunchers(Path.of(System.getProperty("java.io.tmpdir")));
        cache = Files.createTempDirectory(CACHE_PREFIX + ProcessHandle.current().pid() + "-");
        Map<String, Object> props = new HashMap<>();
        props.put(Constants.FRAMEWORK_STORAGE, cache.toString());
        props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        props.put("felix.bootdelegation.implicit", "false");
        props.put(Constants.FRAMEWORK_BOOTDELEGATION, "sun.*,com.sun.*,jdk.*");
        props.put("felix.log.level", "2");
        props.put("felix.log.logger", new FelixLogBridge());
        if (logFile != null) props.put(LogFileSetup.PROPERTY, logFile.toString());
        props.put("felix.fileinstall.dir", home.resolve("plugins").toString());
        props.put("felix.fileinstall.poll", "500");
        props.put("felix.fileinstall.noInitialDelay", "true");
        props.put("felix.fileinstall.log.level", "1");
        props.put("vcj.home", home.toString());
        props.put("gosh.home", home.toString());   // the interactive shell's profile: <home>/etc/gosh_profile
        props.put("vcj.root", options.root().toString());
        props.put("vcj.storage", options.storage());
        props.put("vcj.agent.jar", home.resolve("agent/vcj-agent.jar").toString());
        props.put("vcj.rootfs", home.resolve("rootfs/busybox").toString());
        props.put("vcj.guest.dir", home.resolve("guest").toString());
        framework = new Felix(props);
        framework.init();
        List<Bundle> installed = new ArrayList<>();
        try (Stream<Path> jars = Files.list(home.resolve("bundle"))) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                installed.add(framework.getBundleContext().installBundle("reference:" + jar.toUri()));
            }
        }
        framework.start();
        startConfigAdmin(installed, settings);
        Bundle console = null;
        for (Bundle b : installed) {
            // The interactive console (gogo.jline) only runs for `vcj shell`, started last (all vc:* commands are
            // there for completion); everything else needs no terminal.
            if (JLINE_SHELL.equals(b.getSymbolicName())) {
                console = b;
            } else if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                b.start();
            }
        }
        if (interactiveShell && console != null) startConsole(console, installed);
    }

    /**
     * Starts gogo.jline, which builds its terminal in the starting thread. JLine looks its terminal providers
     * (exec, jni, ...) up through the thread's context class loader, here the launcher's, which cannot see
     * them: the console would fall back to a dumb terminal (no line editing, history or completion). So the
     * start runs with JLine's own bundle class loader as context loader.
     */
    private static void startConsole(Bundle console, List<Bundle> installed) throws BundleException {
        ClassLoader jline = null;
        for (Bundle b : installed) {
            if (JLINE.equals(b.getSymbolicName())) {
                BundleWiring wiring = b.adapt(BundleWiring.class);
                if (wiring != null) jline = wiring.getClassLoader();
            }
        }
        Thread current = Thread.currentThread();
        ClassLoader previous = current.getContextClassLoader();
        if (jline != null) current.setContextClassLoader(jline);
        try {
            console.start();
        } finally {
            current.setContextClassLoader(previous);
        }
    }

    /**
     * Starts Config Admin first and gives it the installation's settings (pid org.vcj), so that every component
     * sees them from its first activation.
     */
    private void startConfigAdmin(List<Bundle> installed, Map<String, String> settings) throws Exception {
        for (Bundle b : installed) {
            if (CONFIG_ADMIN.equals(b.getSymbolicName())) b.start();
        }
        if (settings.isEmpty()) return;
        Object admin = awaitService("(objectClass=org.osgi.service.cm.ConfigurationAdmin)", 10_000);
        if (admin == null) throw new IllegalStateException("Config Admin did not start; is its bundle in bundle/?");
        publish(admin, VcjSettings.PID, settings);
        for (Map.Entry<String, Map<String, String>> plugin : VcjSettings.pluginConfigurations(settings).entrySet()) {
            publish(admin, plugin.getKey(), plugin.getValue());
        }
    }

    private static void publish(Object admin, String pid, Map<String, String> properties) throws Exception {
        ClassLoader api = admin.getClass().getClassLoader();
        Object config = api.loadClass("org.osgi.service.cm.ConfigurationAdmin")
                .getMethod("getConfiguration", String.class, String.class).invoke(admin, pid, "?");
        api.loadClass("org.osgi.service.cm.Configuration").getMethod("update", java.util.Dictionary.class)
                .invoke(config, new java.util.Hashtable<>(properties));
    }

    /** The first service of this filter, waiting up to {@code millis}; null when none came. */
    Object awaitService(String filter, long millis) throws Exception {
        ServiceTracker<Object, Object> t = new ServiceTracker<>(framework.getBundleContext(),
                framework.getBundleContext().createFilter(filter), null);
        t.open(true);
        return t.waitForService(millis);
    }

    void awaitStop() throws InterruptedException {
        framework.waitForStop(0);
    }

    @Override
    public void close() {
        try {
            framework.stop();
            framework.waitForStop(15_000);
        } catch (BundleException | InterruptedException e) {
            // leaving anyway: the process exits next
        } finally {
            deleteCache();
        }
    }

    private void deleteCache() {
        deleteTree(cache);
    }

    /**
     * A launcher stopped by a signal (Ctrl-C) exits without {@link #close()}, since the CLI's own shutdown hooks may
     * still need the framework; its cache, named after its pid, is removed by the next launcher instead. Every vcj
     * launcher on the machine does this in the same temp dir, so several may remove the same tree at once: files
     * that vanish meanwhile are no error.
     */
    static void removeCachesOfDeadLaunchers(Path tmp) {
        try (Stream<Path> dirs = Files.list(tmp)) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().startsWith(CACHE_PREFIX)).toList()) {
                String[] parts = dir.getFileName().toString().substring(CACHE_PREFIX.length()).split("-", 2);
                if (parts.length == 2 && parts[0].matches("\\d{1,10}")
                        && ProcessHandle.of(Long.parseLong(parts[0])).isEmpty()) {
                    deleteTree(dir);
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // not ours to fix: leftovers in a temp dir are harmless
        }
    }

    private static void deleteTree(Path dir) {
        try {
            FileTrees.delete(dir);
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // removed meanwhile by another launcher, or left for the system to clean: a temp dir either way
        }
    }
}
