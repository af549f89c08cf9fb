package org.vcj.shim.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import org.vcj.api.NotFoundException;
import org.vcj.api.VC;
import org.vcj.api.VCSandbox;
import org.vcj.shim.proto.TaskProto;

/**
 * The containerd shim as a service the launcher calls ({@code vcj containerd-shim ACTION FLAGS}):
 * {@code java.util.function.Function} with {@code vcj.cli=containerd-shim}, taking
 * {@code Object[]{String action, Map<String, String> flags, InputStream in, PrintStream out, PrintStream err}} (the
 * flags parsed by the launcher, by containerd's names) and returning the exit status.
 * {@code serve -socket PATH ...} serves the Task service of every task of the root until it has been idle for
 * {@code shim.idle.timeout}, or until SIGTERM/SIGINT/SIGHUP: then its socket closes and the sandboxes it served go on
 * running, their records intact (containerd owns them: its {@code delete}, or the next service, finds them).
 * {@code delete ...} removes what a dead service left of task {@code -id} and prints a DeleteResponse on stdout.
 */
@Component(service = Function.class, property = "vcj.cli=containerd-shim", configurationPid = "org.vcj")
public final class ShimMain implements Function<Object, Object> {
    private static final System.Logger LOG = System.getLogger(ShimMain.class.getName());
    private static final int SIGKILL = 9;

    private final VC vc;
    private final UnaryOperator<String> config;

    @Activate
    public ShimMain(@Reference VC vc, BundleContext context, Map<String, Object> config) {
        this.vc = vc;
        this.config = key -> {
            Object v = config.get(key);
            return v != null ? v.toString() : context.getProperty("vcj." + key);
        };
    }

    @Override
    @SuppressWarnings("unchecked")
    public Object apply(Object request) {
        if (!(request instanceof Object[] a) || a.length != 5 || !(a[0] == null || a[0] instanceof String) || !(a[1] instanceof Map<?, ?> flags)
                || !(a[2] instanceof InputStream) || !(a[3] instanceof PrintStream out) || !(a[4] instanceof PrintStream err)) {
            throw new IllegalArgumentException("vcj.cli=containerd-shim expects Object[]{String action, Map<String, String> flags,"
                    + " InputStream in, PrintStream out, PrintStream err}");
        }
        String action = (String) a[0];
        if (action == null) {
            err.println("usage: vcj containerd-shim serve|delete -namespace NS -id ID [-bundle DIR] [-address ADDR] [-publish-binary BIN] [-socket PATH]");
            return 2;
        }
        ShimSettings settings;
        try {
            settings = ShimSettings.of((Map<String, String>) flags, config);
        } catch (TaskException e) {
            err.println("vcj containerd-shim " + action + ": " + e.getMessage());
            return 2;
        }
        try {
            return switch (action) {
                case "serve" -> serve(settings, err);
                case "delete" -> delete(settings, out, err);
                default -> {
                    err.println("vcj containerd-shim: unknown action '" + action + "'; expected serve or delete");
                    yield 2;
                }
            };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private int serve(ShimSettings settings, PrintStream err) throws InterruptedException {
        if (settings.socket() == null) {
            err.println("vcj containerd-shim serve: -socket PATH is required");
            return 2;
        }
        CountDownLatch stop = new CountDownLatch(1);
        TaskRegistry tasks = new TaskRegistry();
        try (EventPublisher events = new EventPublisher(settings.publishBinary(), settings.address())) {
            ProcessWatcher watcher = new ProcessWatcher(vc, events, tasks::sandboxInUse);
            ProcessIo io = new ProcessIo(vc, tasks);
            TaskLifecycle lifecycle = new TaskLifecycle(vc, tasks, settings.defaults(), events, watcher, io);
            try (ServiceLifetime lifetime = new ServiceLifetime(tasks, lifecycle, settings.idleTimeout(), stop::countDown);
                 TtrpcServer server = TtrpcServer.start(settings.socket(), new TaskDispatcher(settings.namespace(), tasks, lifecycle,
                         new ExecProcesses(vc, tasks, events, watcher, io), io, new TaskQueries(vc, tasks), lifetime))) {
                // SIGTERM, SIGINT, SIGHUP: the socket goes, the sandboxes stay (containerd's delete or the next service finds them)
                Thread hook = new Thread(server::close, "vcj-shim-signal");
                Runtime.getRuntime().addShutdownHook(hook);
                LOG.log(System.Logger.Level.INFO, "vcj containerd shim service (pid " + ProcessHandle.current().pid() + ") serving on "
                        + settings.socket() + "; ends after " + settings.idleTimeout().toSeconds() + " s without a task");
                stop.await();
                Thread.sleep(100); // let the last call's answer go out before the socket closes
                Runtime.getRuntime().removeShutdownHook(hook);
            } finally {
                watcher.close();
            }
            return 0;
        } catch (IOException e) {
            err.println("vcj containerd-shim: cannot serve on " + settings.socket() + ": " + e.getMessage());
            return 1;
        }
    }

    /**
     * Cleans up after a service that is gone: the task's sandbox (its own, or its container in a pod sandbox) is
     * removed, the rootfs unmounted. What is already gone is fine.
     */
    private int delete(ShimSettings settings, PrintStream out, PrintStream err) {
        String id = settings.id();
        String joined = null;
        try {
            joined = OciSpec.read(settings.bundle()).joinedSandbox();
        } catch (TaskException e) {
            LOG.log(System.Logger.Level.INFO, "delete " + id + ": no readable spec (" + e.getMessage() + "); treating it as its own sandbox");
        }
        try {
            if (joined == null) {
                vc.deleteSandbox(id);
            } else {
                VCSandbox s = vc.fetchSandbox(joined);
                try {
                    s.stopContainer(id, true);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.DEBUG, "stop of " + id + " before its delete: " + e.getMessage());
                }
                s.deleteContainer(id);
            }
            LOG.log(System.Logger.Level.INFO, "delete: removed what the shim of " + id + " left");
        } catch (NotFoundException gone) {
            LOG.log(System.Logger.Level.DEBUG, "delete " + id + ": " + gone.getMessage());
        } catch (RuntimeException e) {
            err.println("vcj containerd-shim delete " + id + ": " + e.getMessage());
            LOG.log(System.Logger.Level.WARNING, "delete " + id + " failed", e);
            return 1;
        }
        try {
            RootfsMount.unmount(settings.bundle());
        } catch (TaskException e) {
            err.println("vcj containerd-shim delete " + id + ": " + e.getMessage());
            return 1;
        }
        byte[] response = TaskProto.DeleteResponse.newBuilder().setExitStatus(128 + SIGKILL)
                .setExitedAt(ProtoTime.ts(Instant.now())).build().toByteArray();
        out.write(response, 0, response.length);
        out.flush();
        return 0;
    }
}
