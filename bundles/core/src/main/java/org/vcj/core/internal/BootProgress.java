package org.vcj.core.internal;

import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * A VM's boot for a person at a terminal: one status line on stderr, redrawn while the boot goes on (stage from
 * {@link org.vcj.api.hypervisor.Hypervisor#bootStage} and seconds so far) and erased when it is over. Silent when
 * there is no console (pipes, files, tests, an embedding application).
 */
final class BootProgress implements AutoCloseable {

    private static final long PERIOD_MILLIS = 250;
    private final Thread thread;
    private final PrintStream out;

    private BootProgress(String sandboxId, Supplier<String> stage, PrintStream out) {
        this.out = out;
        long start = System.nanoTime();
        thread = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(PERIOD_MILLIS);
                    String s = stage.get();
                    out.print(String.format("\r\033[Kvcj: %s: booting the VM: %s %.1f s", sandboxId,
                            s.isEmpty() ? "..." : s, (System.nanoTime() - start) / 1e9));
                    out.flush();
                }
            } catch (InterruptedException e) {
                // done
            }
        }, "vcj-boot-progress-" + sandboxId);
        thread.setDaemon(true);
    }

    /** Progress of a boot on the terminal, or nothing when there is none. */
    static BootProgress show(String sandboxId, Supplier<String> stage) {
        BootProgress p = new BootProgress(sandboxId, stage, System.err);
        if (System.console() != null) p.thread.start();
        return p;
    }

    @Override
    public void close() {
        if (!thread.isAlive()) return;
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.print("\r\033[K");
        out.flush();
    }
}
