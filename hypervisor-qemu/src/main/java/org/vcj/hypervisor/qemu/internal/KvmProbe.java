package org.vcj.hypervisor.qemu.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.vcj.support.fs.FileTrees;

/**
 * Whether KVM works on this host, found once and remembered: a guest that reaches its /init under KVM proves it.
 * The answer is kept in {@code cache} with what it depends on (host kernel release, the QEMU binary and the guest
 * kernel), one line per such key (the last {@value #KEPT}); it is found again for a key not kept. A host without a usable /dev/kvm is TCG without a boot.
 *
 * @param cache   where the answer is kept (per host and boot: under /run for root)
 * @param qemu    the QEMU binary
 * @param kernel  the guest kernel
 * @param initrd  the guest initramfs, whose /init prints {@value #INIT_MARK} first
 * @param timeout how long a KVM guest may take to reach /init
 * @param device  the KVM device ({@value #KVM_DEVICE}; another path only in tests)
 */
record KvmProbe(Path cache, String qemu, Path kernel, Path initrd, Duration timeout, Path device) {

    static final String KVM_DEVICE = "/dev/kvm";

    /** The probe of the host's {@value #KVM_DEVICE}. */
    KvmProbe(Path cache, String qemu, Path kernel, Path initrd, Duration timeout) {
        this(cache, qemu, kernel, initrd, timeout, Path.of(KVM_DEVICE));
    }

    private static final System.Logger LOG = System.getLogger(KvmProbe.class.getName());
    static final String INIT_MARK = "vcj-init: started";
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** The default cache file: {@code /run/vcj-accel.probe} for root, else in XDG_RUNTIME_DIR or the temp dir. */
    static Path defaultCache() {
        boolean root = "root".equals(System.getProperty("user.name"));
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        String dir = root ? "/run" : runtime != null && !runtime.isEmpty() ? runtime : System.getProperty("java.io.tmpdir");
        return Path.of(dir, "vcj-accel.probe");
    }

    /** Answers kept at most, one line each ({@code kvm|tcg KEY}): a host with several guest kernels probes each once. */
    static final int KEPT = 8;

    /** "kvm" or "tcg": remembered, or probed now (at most {@link #timeout} for a boot). */
    String accelerator() {
        String key = key();
        List<String> kept = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(cache)) {
                int sp = line.indexOf(' ');
                if (sp < 0 || !List.of("kvm", "tcg").contains(line.substring(0, sp))) continue;   // not an answer line
                if (line.substring(sp + 1).equals(key)) return line.substring(0, sp);
                kept.add(line);
            }
        } catch (IOException e) {
            // not probed yet on this host (or unreadable): probe
        }
        String found = probe();
        kept.add(found + " " + key);
        try {
            Path tmp = cache.resolveSibling(cache.getFileName() + "." + ProcessHandle.current().pid());
            Files.write(tmp, kept.subList(Math.max(0, kept.size() - KEPT), kept.size()), StandardCharsets.UTF_8);
            try {
                Files.move(tmp, cache, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, cache, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot remember the accelerator probe in " + cache + ": " + e.getMessage());
        }
        return found;
    }

    private String probe() {
        if (!Files.isReadable(device) || !Files.isWritable(device)) {
            LOG.log(Level.INFO, "no usable " + device + ": TCG");
            return "tcg";
        }
        Path dir = null;
        java.lang.Process p = null;
        try {
            dir = Files.createTempDirectory("vcj-kvm-probe");
            Path console = dir.resolve("console.log");
            p = new ProcessBuilder(qemu, "-machine", "q35", "-accel", "kvm", "-cpu", "host", "-smp", "1", "-m", "256M",
                    "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot", "-serial", "file:" + console,
                    "-kernel", kernel.toString(), "-initrd", initrd.toString(), "-append", "console=ttyS0 panic=-1 quiet")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("qemu.log").toFile()).start();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (Files.exists(console) && Files.readString(console, StandardCharsets.ISO_8859_1).contains(INIT_MARK)) {
                    LOG.log(Level.INFO, "a KVM guest reached /init: KVM");
                    return "kvm";
                }
                if (p.waitFor(50, TimeUnit.MILLISECONDS)) break;
            }
            LOG.log(Level.INFO, "no KVM guest reached /init in " + timeout.toSeconds() + " s: TCG");
            return "tcg";
        } catch (IOException e) {
            LOG.log(Level.INFO, "KVM probe failed (" + e.getMessage() + "): TCG");
            return "tcg";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "tcg";
        } finally {
            if (p != null) {
                p.destroyForcibly();
                try {
                    p.waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) return;
        try {
            FileTrees.delete(dir);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "cannot remove " + dir + ": " + e.getMessage());
        }
    }

    /** What the answer depends on. */
    private String key() {
        StringBuilder sb = new StringBuilder("host ").append(System.getProperty("os.version"));
        for (Path f : List.of(resolve(qemu), kernel)) {
            sb.append(' ').append(f);
            try {
                sb.append(':').append(Files.size(f)).append(':').append(Files.getLastModifiedTime(f).toMillis());
            } catch (IOException e) {
                sb.append(":?");
            }
        }
        return sb.toString();
    }

    private static Path resolve(String command) {
        if (command.contains("/")) return Path.of(command);
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, command);
            if (Files.isExecutable(p)) return p;
        }
        return Path.of(command);
    }
}
