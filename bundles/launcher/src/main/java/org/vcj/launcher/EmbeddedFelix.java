package org.vcj.launcher;

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

/**
 * A Felix framework running every bundle of {@code <home>/bundle}, on a bundle cache kept between calls
 * ({@link FelixCache}). Every bundle is started transiently, so a kept cache never starts a bundle by itself: Config
 * Admin gets the settings before anything else starts, in every call. Config Admin keeps its configurations in the
 * cache's {@code cm/}, emptied at every start: a call never sees the settings of the one before.
 */
final class EmbeddedFelix implements AutoCloseable {

    private static final String JLINE_SHELL = "org.apache.felix.gogo.jline";
    private static final String JLINE = "org.jline";
    private static final String CONFIG_ADMIN = "org.apache.felix.configadmin";

    private final Framework framework;
    private final FelixCache cache;
    private final Path home;

    /** What a call starts besides vcj's bundles and the OSGi services they need. */
    enum Use {
        /** one CLI verb: no Gogo, and File Install only when {@code plugins/} has something to install */
        VERB,
        /** a long-running verb (a server, the containerd shim service): File Install watches {@code plugins/} */
        SERVER,
        /** {@code vcj shell -c}: Gogo too */
        SHELL_COMMANDS,
        /** {@code vcj shell}: Gogo and its console */
        INTERACTIVE_SHELL
    }

    private static final String GOGO = "org.apache.felix.gogo.";
    private static final String FILE_INSTALL = "org.apache.felix.fileinstall";

    /**
     * @param logFile the log file ({@link LogFileSetup}), given to bundles as framework property {@code vcj.log.file};
     *                {@code null} when there is none
     */
    EmbeddedFelix(Path home, GlobalOptions options, Map<String, String> settings, Use use, Path logFile)
            throws Exception {
        this.home = home;
        cache = FelixCache.acquire(home, Path.of(System.getProperty("java.io.tmpdir")));
        Path cm = cache.dir().resolve("cm");
        FileTrees.delete(cm);
        Map<String, Object> props = new HashMap<>();
        props.put(Constants.FRAMEWORK_STORAGE, cache.dir().toString());
        if (!cache.reused()) props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        props.put("felix.cm.dir", cm.toString());
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
        boolean gogo = use == Use.SHELL_COMMANDS || use == Use.INTERACTIVE_SHELL;
        boolean watch = use != Use.VERB || FelixCache.hasPlugins(home);
        for (Bundle b : installed) {
            String name = b.getSymbolicName();
            // The interactive console (gogo.jline) only runs for `vcj shell`, started last (all vc:* commands are
            // there for completion); everything else needs no terminal. A CLI verb needs no Gogo at all (its bundles
            // stay resolved, for the shell bundle's imports), nor File Install when there is no plugin to install.
            if (JLINE_SHELL.equals(name)) {
                console = b;
            } else if ((!gogo && (name.startsWith(GOGO) || JLINE.equals(name))) || (!watch && FILE_INSTALL.equals(name))) {
                continue;
            } else if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                b.start(Bundle.START_TRANSIENT);
            }
        }
        if (use == Use.INTERACTIVE_SHELL && console != null) startConsole(console, installed);
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
            console.start(Bundle.START_TRANSIENT);
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
            if (CONFIG_ADMIN.equals(b.getSymbolicName())) b.start(Bundle.START_TRANSIENT);
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

    /**
     * Stops the framework. Its cache is kept for the next call only when it stopped in time with no bundle but the
     * installation's (a plugin installed meanwhile by File Install would otherwise persist in it).
     */
    @Override
    public void close() {
        boolean clean = false;
        try {
            boolean onlyOurs = onlyInstallationBundles();
            framework.stop();
            clean = framework.waitForStop(15_000).getType() == org.osgi.framework.FrameworkEvent.STOPPED && onlyOurs;
        } catch (BundleException | InterruptedException | RuntimeException e) {
            // leaving anyway: the process exits next
        } finally {
            cache.release(clean);
        }
    }

    private boolean onlyInstallationBundles() {
        String ours = home.resolve("bundle").toUri().toString();
        for (Bundle b : framework.getBundleContext().getBundles()) {
            if (b.getBundleId() != 0 && !b.getLocation().startsWith("reference:" + ours)) return false;
        }
        return true;
    }
}
