package org.vcj.agent.internal;

import com.sun.jna.NativeLong;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What only an agent that owns its VM may do: give the VM its own identity when it is assigned to a sandbox
 * (hostname, the shared directory mounted, a wall clock and a random pool of its own). A VM cloned from a template
 * or taken from a cache resumes with the template's clock and random state, and a template must never have the share
 * mounted (QEMU refuses to save a VM with a mounted 9p export), so all of this happens per sandbox, not at boot.
 * The clock, hostname and mounts are system calls, not processes: under TCG each fork and exec of a tool costs the
 * guest a new address space and QEMU new translations. Never enabled for an agent that runs on the host (the mock
 * hypervisor). Thread-safe.
 */
final class GuestIdentity {
    private static final System.Logger LOG = System.getLogger("org.vcj.agent.guest");
    private static final String NINE_P_OPTIONS = "trans=virtio,version=9p2000.L,msize=512000";
    private static final long NINE_P_WAIT_MILLIS = 15_000;
    private final String shareTag;

    /** @param shareTag the 9p mount tag of the host's shared directory, or null when nothing is shared */
    GuestIdentity(String shareTag) {
        this.shareTag = shareTag;
    }

    /** Sets the guest hostname and mounts the shared directory at {@code guestSharedDir} and the volumes, unless they are. */
    synchronized void assign(String hostname, String guestSharedDir) throws IOException {
        if (hostname != null && !hostname.isEmpty()) {
            byte[] name = hostname.getBytes(StandardCharsets.UTF_8);
            if (JnaLibc.C.sethostname(name, new NativeLong(name.length)) != 0) {
                throw failed("set the hostname to " + hostname);
            }
        }
        if (shareTag == null || guestSharedDir == null || guestSharedDir.isEmpty()) return;
        Path dir = Path.of(guestSharedDir);
        if (!mounted(dir)) {
            Files.createDirectories(dir);
            awaitFileSystem("9p", NINE_P_WAIT_MILLIS);
            mount9p(shareTag, dir, "mount the shared directory (tag " + shareTag + ") at " + dir);
            LOG.log(System.Logger.Level.INFO, "shared directory {0} mounted at {1}", shareTag, dir);
        }
        List<String> volumes = GuestVolumes.mountAll(shareTag, MOUNTER);
        if (!volumes.isEmpty()) LOG.log(System.Logger.Level.INFO, "volumes {0} mounted under {1}", volumes, GuestVolumes.DIR);
    }

    private static final GuestVolumes.Mounter MOUNTER = new GuestVolumes.Mounter() {
        @Override public boolean mounted(Path dir) throws IOException { return GuestIdentity.mounted(dir); }
        @Override public void mount9p(String tag, Path dir, String what) throws IOException { GuestIdentity.mount9p(tag, dir, what); }
        @Override public void unmount(Path dir, String what) throws IOException { GuestIdentity.unmount(dir, what); }
    };

    /**
     * Unmounts the shared directory a sandbox had (on DestroySandbox), so that the VM can be saved again: a template
     * factory runs one sandbox in its template VM to warm the agent up before saving it.
     */
    synchronized void release(String guestSharedDir) throws IOException {
        if (shareTag == null || guestSharedDir == null || guestSharedDir.isEmpty()) return;
        Path dir = Path.of(guestSharedDir);
        GuestVolumes.unmountAll(shareTag, MOUNTER);
        if (mounted(dir)) unmount(dir, "unmount the shared directory " + dir);
    }

    /** Sets the wall clock to {@code sec}.{@code usec} since the epoch. */
    void setClock(long sec, long usec) throws IOException {
        if (sec <= 0 || usec < 0 || usec >= 1_000_000) {
            throw AgentErrors.invalid("guest time " + sec + "s " + usec + "us is not a time after the epoch");
        }
        if (JnaLibc.C.clock_settime(JnaLibc.CLOCK_REALTIME, new long[] {sec, usec * 1000}) != 0) {
            throw failed("set the guest clock to " + sec + "." + String.format("%06d", usec) + " s");
        }
    }

    /** Mixes {@code data} into the kernel's random pool. */
    void reseed(byte[] data) throws IOException {
        if (data.length == 0) throw AgentErrors.invalid("ReseedRandomDev needs at least one byte of entropy");
        try (FileOutputStream out = new FileOutputStream("/dev/urandom")) {
            out.write(data);
        }
    }

    /**
     * Waits until the kernel knows file system {@code type}: a guest whose kernel has it as a module may load it while
     * the agent starts (vcj's own guest kernel has 9p built in: no wait). Returns at the deadline either way (the
     * mount then says what is wrong).
     */
    private static void awaitFileSystem(String type, long millis) throws IOException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (Files.readAllLines(Path.of("/proc/filesystems")).stream().noneMatch(l -> l.endsWith("\t" + type))
                && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the " + type + " file system", e);
            }
        }
    }

    private static boolean mounted(Path dir) throws IOException {
        String target = " " + dir.toAbsolutePath() + " ";
        for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
            if (line.contains(target)) return true;
        }
        return false;
    }

    private static void mount9p(String tag, Path dir, String what) throws IOException {
        if (JnaLibc.C.mount(tag, dir.toString(), "9p", new NativeLong(0), NINE_P_OPTIONS) != 0) throw failed(what);
    }

    private static void unmount(Path dir, String what) throws IOException {
        if (JnaLibc.C.umount2(dir.toString(), 0) != 0) throw failed(what);
    }

    private static RuntimeException failed(String what) {
        return AgentErrors.internal("cannot " + what + ": " + JnaLibc.lastError(), null);
    }
}
