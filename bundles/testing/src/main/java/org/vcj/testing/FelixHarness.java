package org.vcj.testing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;

/**
 * An embedded Felix 7 with SCR for integration tests. Bundle jars come from system properties set by
 * the pom (dependency:properties). Services are used reflectively through the api bundle's classes,
 * since the test classpath has its own copy of the api.
 */
public final class FelixHarness implements AutoCloseable {
    private final Framework framework;

    private FelixHarness(Framework framework) {
        this.framework = framework;
    }

    /** Starts a framework with {@code extraProps} and installs + starts the jars named by the system properties. */
    public static FelixHarness start(Path cache, Map<String, String> extraProps, List<String> jarProperties) throws Exception {
        Map<String, String> props = new HashMap<>();
        props.put("org.osgi.framework.storage", cache.toString());
        props.put("org.osgi.framework.storage.clean", "onFirstInit");
        props.put("felix.bootdelegation.implicit", "false");
        props.put("org.osgi.framework.bootdelegation", "sun.*,com.sun.*,jdk.*");
        props.putAll(extraProps);
        Framework fw = new FrameworkFactory().newFramework(props);
        fw.start();
        BundleContext ctx = fw.getBundleContext();
        List<Bundle> bundles = new ArrayList<>();
        for (String p : jarProperties) {
            String jar = System.getProperty(p);
            if (jar == null) {
                throw new IllegalStateException("system property " + p + " (a bundle jar path) is not set; run through mvn verify");
            }
            bundles.add(ctx.installBundle(Path.of(jar).toUri().toString()));
        }
        for (Bundle b : bundles) {
            if (b.getHeaders().get("Fragment-Host") == null) {
                b.start();
            }
        }
        return new FelixHarness(fw);
    }

    public BundleContext context() {
        return framework.getBundleContext();
    }

    /** Waits up to {@code timeout} for a service of {@code iface} matching {@code filter}. */
    public Object service(String iface, String filter, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            ServiceReference<?>[] refs = context().getAllServiceReferences(iface, filter);
            if (refs != null && refs.length > 0) {
                Object svc = context().getService(refs[0]);
                if (svc != null) {
                    return svc;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no service " + iface + " " + filter + " within " + timeout + "; bundles: " + bundleStates());
    }

    public String bundleStates() {
        StringBuilder sb = new StringBuilder();
        for (Bundle b : context().getBundles()) {
            sb.append(b.getSymbolicName()).append('=').append(b.getState()).append(' ');
        }
        return sb.toString();
    }

    /** Loads a class as the api bundle sees it. */
    public Class<?> apiClass(String name) throws ClassNotFoundException {
        for (Bundle b : context().getBundles()) {
            if ("org.vcj.api".equals(b.getSymbolicName())) {
                return b.loadClass(name);
            }
        }
        throw new IllegalStateException("org.vcj.api bundle not installed");
    }

    /** Calls {@code method} of api interface {@code iface} on {@code target}; unwraps the thrown exception. */
    public Object call(Object target, String iface, String method, Class<?>[] types, Object... args) throws Throwable {
        Method m = apiClass(iface).getMethod(method, types);
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public void close() throws Exception {
        framework.stop();
        framework.waitForStop(30_000);
    }
}
