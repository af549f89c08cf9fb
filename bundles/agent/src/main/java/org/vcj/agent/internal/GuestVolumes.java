package org.vcj.agent.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The sandbox's volumes in the guest: every virtio-9p export the VM has besides the shared directory's is a volume
 * (the runtime puts one on the VM per {@code SandboxConfig.Volumes} entry, its mount tag the volume's), mounted at
 * {@code /run/vcj/volumes/<tag>} when a sandbox is assigned and unmounted when it is destroyed.
 */
final class GuestVolumes {

    static final Path DIR = Path.of("/run/vcj/volumes");
    private static final Path TAGS = Path.of("/sys/bus/virtio/drivers/9pnet_virtio");

    private GuestVolumes() {
    }

    /** The 9p mount tags of the VM other than {@code shareTag}. */
    static List<String> tags(Path driverDir, String shareTag) throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(driverDir)) return out;
        try (Stream<Path> s = Files.list(driverDir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path tag = p.resolve("mount_tag");
                if (!p.getFileName().toString().startsWith("virtio") || !Files.isReadable(tag)) continue;
                String t = Files.readString(tag).replace("\0", "").trim();
                if (!t.isEmpty() && !t.equals(shareTag) && t.matches("[A-Za-z0-9_.-]{1,31}")) out.add(t);
            }
        }
        return out;
    }

    /** Mounts each volume that is not mounted yet; returns the tags. */
    static List<String> mountAll(String shareTag, Mounter mounter) throws IOException {
        List<String> tags = tags(TAGS, shareTag);
        for (String t : tags) {
            Path dir = DIR.resolve(t);
            if (mounter.mounted(dir)) continue;
            Files.createDirectories(dir);
            mounter.mount9p(t, dir, "mount volume " + t + " at " + dir);
        }
        return tags;
    }

    static void unmountAll(String shareTag, Mounter mounter) throws IOException {
        for (String t : tags(TAGS, shareTag)) {
            Path dir = DIR.resolve(t);
            if (mounter.mounted(dir)) mounter.unmount(dir, "unmount volume " + dir);
        }
    }

    /** How mounts are checked, made and removed (GuestIdentity's system calls); {@code what} names the step in errors. */
    interface Mounter {
        boolean mounted(Path dir) throws IOException;

        void mount9p(String tag, Path dir, String what) throws IOException;

        void unmount(Path dir, String what) throws IOException;
    }
}
