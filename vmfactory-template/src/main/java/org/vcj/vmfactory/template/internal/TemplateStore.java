package org.vcj.vmfactory.template.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import org.vcj.api.HypervisorException;
import org.vcj.api.factory.FactoryStatus;
import org.vcj.support.fs.FileTrees;

/**
 * Templates on disk under {@code <root>/factory/template}: one directory per configuration key holding the guest
 * memory file, the device state and {@code template.properties}. A template is built in a {@code .build-<key>-*}
 * directory and published by renaming it to {@code <key>} once complete, so a kill at any moment never leaves a half
 * template that a later run uses; under the store's lock a later build removes such leftovers (and any QEMU still
 * running in them) first. Thread-safe and safe across processes.
 */
final class TemplateStore {

    static final String TYPE = "template";
    static final String MEMORY = "memory";
    static final String STATE = "state";
    private static final String INFO = "template.properties";
    private static final String BUILD_PREFIX = ".build-";
    private static final Duration LOCK_TIMEOUT = Duration.ofMinutes(5);

    private final Path dir;

    TemplateStore(Path dir) {
        this.dir = dir;
    }

    /** The key of a configuration: a digest of the hypervisor type and what the saved VM depends on. */
    static String key(String hypervisorType, String configDigest) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((hypervisorType + "\n" + configDigest).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    Path templateDir(String key) {
        return dir.resolve(key);
    }

    boolean ready(String key) {
        return Files.isRegularFile(templateDir(key).resolve(INFO));
    }

    /** What a build writes into: a fresh directory, its VM's run directory inside it. */
    interface Builder {
        /** Boots the template VM in {@code buildDir} and saves it there as {@link #MEMORY} and {@link #STATE}. */
        void build(Path buildDir) throws IOException;
    }

    /** Returns the ready template of {@code key}, building it under the lock if no process has yet. */
    Path ensure(String key, Properties info, Builder builder) {
        if (ready(key)) return templateDir(key);
        try (TemplateLock ignored = TemplateLock.acquire(lockFile(), LOCK_TIMEOUT)) {
            if (ready(key)) return templateDir(key);
            removeBuilds(key);
            Path build = dir.resolve(BUILD_PREFIX + key + "-" + ProcessHandle.current().pid());
            Files.createDirectories(build);
            try {
                builder.build(build);
            } catch (IOException | RuntimeException e) {
                BuildProcesses.kill(build.toString());
                FileTrees.delete(build);
                throw e;
            }
            info.setProperty("created", Instant.now().toString());
            try (OutputStream out = Files.newOutputStream(build.resolve(INFO))) {
                info.store(out, "vcj VM template");
            }
            Files.move(build, templateDir(key), StandardCopyOption.ATOMIC_MOVE);
            return templateDir(key);
        } catch (IOException e) {
            throw new HypervisorException(null, "template", "cannot make the template in " + dir + ": " + e.getMessage(), e);
        }
    }

    List<FactoryStatus> status() {
        List<FactoryStatus> out = new ArrayList<>();
        for (Path d : children()) {
            String name = d.getFileName().toString();
            if (name.startsWith(BUILD_PREFIX)) {
                out.add(new FactoryStatus(TYPE, name.substring(BUILD_PREFIX.length()), "building", 0, null,
                        BuildProcesses.mentioning(d.toString()).size(), "being made (or left by a killed build: removed by the next one)"));
            } else if (Files.isRegularFile(d.resolve(INFO))) {
                Properties p = load(d.resolve(INFO));
                String created = p.getProperty("created");
                out.add(new FactoryStatus(TYPE, name, "ready", size(d), created == null ? null : Instant.parse(created),
                        BuildProcesses.mentioning("mem-path=" + d.resolve(MEMORY) + ",share=off").size(),
                        p.getProperty("hypervisor", "?") + ", " + p.getProperty("vcpus", "?") + " vCPUs, "
                                + p.getProperty("memory", "?") + " MiB, machine " + p.getProperty("machine", "?")));
            }
        }
        return out;
    }

    /** Removes every template and unfinished build (killing its QEMU); clones keep running. */
    List<FactoryStatus> destroy() {
        List<FactoryStatus> before = status();
        if (!Files.isDirectory(dir)) return before;
        try (TemplateLock lock = TemplateLock.acquire(lockFile(), LOCK_TIMEOUT)) {
            for (Path d : children()) {
                if (d.getFileName().toString().startsWith(BUILD_PREFIX)) BuildProcesses.kill(d.toString());
                FileTrees.delete(d);
            }
            lock.deleteFile();
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new HypervisorException(null, "template", "cannot remove the templates in " + dir + ": " + e.getMessage(), e);
        }
        return before;
    }

    private void removeBuilds(String key) throws IOException {
        for (Path d : children()) {
            if (d.getFileName().toString().startsWith(BUILD_PREFIX + key + "-")) {
                BuildProcesses.kill(d.toString());
                FileTrees.delete(d);
            }
        }
    }

    private Path lockFile() {
        return dir.resolve(".lock");
    }

    private List<Path> children() {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new HypervisorException(null, "template", "cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static long size(Path d) {
        try (Stream<Path> s = Files.walk(d)) {
            return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    private static Properties load(Path f) {
        Properties p = new Properties();
        try (var in = Files.newInputStream(f)) {
            p.load(in);
        } catch (IOException e) {
            // an unreadable info file shows as '?' fields
        }
        return p;
    }
}
