package org.vcj.vmfactory.cache.internal;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Stops a serving cache when its JVM is told to stop (SIGTERM, SIGINT, SIGHUP run the JVM's shutdown hooks, and
 * nothing stops the OSGi framework then): the hook ends the server's wait as a Quit would, and holds the JVM's exit
 * until the serving thread has stopped the VMs nobody took and removed their namespaces and files (at most
 * {@code limit}: a VM still booting is awaited first).
 */
final class CacheSignalStop {

    private final CacheServer server;
    private final Duration limit;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread hook;

    CacheSignalStop(CacheServer server, Duration limit) {
        this.server = server;
        this.limit = limit;
        this.hook = new Thread(this::onShutdown, "vcj-vmcache-stop");
    }

    void install() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The serving thread has closed the server; the hook (if running) may let the JVM exit. */
    void stopped() {
        stopped.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException | IllegalArgumentException runningOrNeverInstalled) {
            // the hook is running (it returns now) or install() was never reached
        }
    }

    private void onShutdown() {
        System.getLogger(CacheSignalStop.class.getName()).log(System.Logger.Level.INFO,
                "VM cache: the JVM is stopping (signal); stopping the VMs nobody took");
        server.requestQuit();
        try {
            stopped.await(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
