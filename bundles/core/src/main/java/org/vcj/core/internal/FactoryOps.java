package org.vcj.core.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import org.vcj.api.HypervisorException;
import org.vcj.api.InvalidConfigException;
import org.vcj.api.SandboxConfig;
import org.vcj.api.factory.FactoryStatus;
import org.vcj.api.factory.VMFactory;
import org.vcj.api.factory.VMRequest;

/** The VM factory management functions of the {@code VC} service: init, status, destroy, serve (configs already checked). */
final class FactoryOps {

    private final Engine engine;

    FactoryOps(Engine engine) {
        this.engine = engine;
    }

    List<FactoryStatus> init(String type, SandboxConfig config) {
        VMFactory factory = factory(type);
        Path scratch = scratchDir();
        try {
            return factory.init(engine.vmRequest(config, "init-" + scratch.getFileName(), scratch));
        } finally {
            removeScratch(scratch);
        }
    }

    List<FactoryStatus> status(String type) {
        return factory(type).status(engine.paths.root());
    }

    List<FactoryStatus> destroy(String type) {
        return factory(type).destroy(engine.paths.root());
    }

    /**
     * What killed factory servers left (each factory with a directory under {@code <root>/factory/} is asked, once
     * its plugin is there): the names of what was removed. A factory that fails is logged and skipped.
     */
    List<String> cleanup() {
        Path dir = engine.paths.root().resolve("factory");
        if (!Files.isDirectory(dir)) return List.of();
        List<String> removed = new java.util.ArrayList<>();
        try (java.util.stream.Stream<Path> types = Files.list(dir)) {
            for (Path type : types.filter(Files::isDirectory).toList()) {
                String name = type.getFileName().toString();
                if (name.equals("scratch")) {
                    removed.addAll(removeScratchOfDeadProcesses(type));
                    continue;
                }
                try {
                    factory(name).cleanup(engine.paths.root()).forEach(s -> removed.add(s.name()));
                } catch (org.vcj.api.VcException e) {
                    System.getLogger(FactoryOps.class.getName()).log(System.Logger.Level.WARNING,
                            "cleanup of VM factory " + name + " failed: " + e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new HypervisorException(null, "cleanup", "cannot list " + dir + ": " + e.getMessage(), e);
        }
        return removed;
    }

    void serve(String type, String sourceType, int size, SandboxConfig config) {
        if (size < 1 || size > 64) {
            throw new InvalidConfigException("size", Integer.toString(size), "a VM cache keeps 1 to 64 VMs ready");
        }
        String source = sourceType == null || sourceType.isBlank() ? VMFactory.DIRECT : sourceType.trim();
        if (source.equals(type)) {
            throw new InvalidConfigException("from", source, "a VM cache cannot fill itself; use direct or template");
        }
        VMFactory server = factory(type);
        VMFactory from = factory(source);
        Path scratch = scratchDir();
        VMRequest prototype = engine.vmRequest(config, "cache", scratch);
        // A signal (SIGTERM, SIGINT, SIGHUP) ends the server through the JVM's shutdown hooks, and the JVM exits once
        // they are done, perhaps before this thread reaches its finally: this hook waits for it (as long as the
        // server's own stop may take), then removes the scratch directory itself.
        java.util.concurrent.CountDownLatch served = new java.util.concurrent.CountDownLatch(1);
        Thread hook = new Thread(() -> {
            try {
                served.await(prototype.timeout().plusSeconds(90).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            removeScratch(scratch);
        }, "vcj-factory-scratch");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            server.serve(prototype, from, size);
        } finally {
            removeScratch(scratch);
            served.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs now, and returns at once
            }
        }
    }

    /** The scratch directories ({@code <pid>-<id>}) of factory operations whose process is gone (killed). */
    private static List<String> removeScratchOfDeadProcesses(Path scratchDirs) throws IOException {
        List<String> removed = new java.util.ArrayList<>();
        try (java.util.stream.Stream<Path> dirs = Files.list(scratchDirs)) {
            for (Path d : dirs.toList()) {
                String[] f = d.getFileName().toString().split("-", 2);
                if (f.length == 2 && f[0].matches("\\d{1,10}") && ProcessHandle.of(Long.parseLong(f[0])).isEmpty()) {
                    removeScratch(d);
                    removed.add("factory scratch " + d.getFileName());
                }
            }
        }
        return removed;
    }

    /** Removes a scratch directory, and their parent once no other operation uses one. */
    private static void removeScratch(Path scratch) {
        RootfsSharer.deleteTree(scratch);
        try {
            Files.deleteIfExists(scratch.getParent());
        } catch (IOException inUse) {
            // another factory operation's scratch directory is still there
        }
    }

    private VMFactory factory(String type) {
        if (type == null || type.isBlank()) {
            throw new InvalidConfigException("vmFactory", type, "name a VM factory, e.g. template or cache");
        }
        return engine.factories.require(type.trim(), engine.pluginGrace);
    }

    /** An empty private directory for VMs a factory operation makes outside any sandbox. */
    private Path scratchDir() {
        Path dir = engine.paths.root().resolve("factory").resolve("scratch")
                .resolve(ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            Files.createDirectories(dir);
            return dir;
        } catch (IOException e) {
            throw new HypervisorException(null, "factory", "cannot create " + dir + ": " + e.getMessage(), e);
        }
    }
}
