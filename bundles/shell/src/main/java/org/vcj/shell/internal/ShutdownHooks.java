package org.vcj.shell.internal;

/**
 * Registers clean-up that must run if the JVM shuts down (Ctrl-C on the CLI) while a verb runs.
 * The real implementation uses {@link Runtime#addShutdownHook}; tests use a recording one.
 */
interface ShutdownHooks {
    /** A registered hook; closing removes it (idempotent). */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /** Registers {@code action} to run at JVM shutdown until the registration is closed. */
    Registration register(String name, Runnable action);

    /** JVM shutdown hooks. */
    ShutdownHooks RUNTIME = (name, action) -> {
        Thread t = new Thread(action, name);
        Runtime.getRuntime().addShutdownHook(t);
        return () -> {
            try {
                Runtime.getRuntime().removeShutdownHook(t);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to: nothing to remove
            }
        };
    };
}
