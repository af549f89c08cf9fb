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
 * {@code Object[]{String[] args, InputStream in, PrintStream out, PrintStream err}} and returning the exit status.
 * {@code serve -socket PATH ...} serves the Task service until Shutdown; {@code delete ...} removes what a dead shim
 * left of task {@code -id} and prints a DeleteResponse on stdout.
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
    public Object apply(Object request) {
        if (!(request instanceof Object[] a) || a.length != 4 || !(a[0] instanceof String[] args)
                || !(a[1] instanceof InputStream) || !(a[2] instanceof PrintStream out) || !(a[3] instanceof PrintStream err)) {
            throw new IllegalArgumentException("vcj.cli=containerd-shim expects Object[]{String[] args, InputStream in, PrintStream out, PrintStream err}");
        }
        if (args.length == 0) {
            err.println("usage: vcj containerd-shim serve|delete -namespace NS -id ID [-bundle DIR] [-address ADDR] [-publish-binary BIN] [-socket PATH]");
            return 2;
        }
        ShimSettings settings = ShimSettings.parse(java.util.Arrays.copyOfRange(args, 1, args.length), config);
        try {
            return switch (args[0]) {
                case "serve" -> serve(settings, err);
                case "delete" -> delete(settings, out, err);
                default -> {
                    err.println("vcj containerd-shim: unknown action '" + args[0] + "'; expected serve or delete");
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
        CountDownLatch shutdown = new CountDownLatch(1);
        try (EventPublisher events = new EventPublisher(settings.publishBinary(), settings.address(), settings.namespace())) {
            TaskService tasks = new TaskService(vc, settings, events, shutdown::countDown);
            TaskDispatcher dispatcher = new TaskDispatcher(tasks);
            try (TtrpcServer server = TtrpcServer.start(settings.socket(), dispatcher)) {
                LOG.log(System.Logger.Level.INFO, "containerd shim for " + settings.namespace() + "/" + settings.id()
                        + " serving on " + settings.socket() + " (hypervisor " + settings.hypervisor() + ")");
                shutdown.await();
                // let the Shutdown call's answer go out before the socket closes
                Thread.sleep(100);
            } finally {
                tasks.close();
            }
            return 0;
        } catch (IOException e) {
            err.println("vcj containerd-shim: cannot serve on " + settings.socket() + ": " + e.getMessage());
            return 1;
        }
    }

    /**
     * Cleans up after a shim that is gone: the task's sandbox (its own, or its container in a pod sandbox) is
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
                .setExitedAt(TaskService.ts(Instant.now())).build().toByteArray();
        out.write(response, 0, response.length);
        out.flush();
        return 0;
    }
}
