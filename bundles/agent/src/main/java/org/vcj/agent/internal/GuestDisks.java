package org.vcj.agent.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.vcj.agent.protocol.CreateContainerRequest;
import org.vcj.agent.protocol.Device;

/**
 * Finds hot-plugged virtio-blk disks in the guest by their serial ({@code /sys/block/vdX/serial}, which the
 * runtime set to the device id) and gives a container request the guest's major:minor for them: the host's numbers
 * mean nothing in the guest. Waits a bounded time for a disk that was just plugged to appear.
 */
final class GuestDisks {

    static final Path SYS_BLOCK = Path.of("/sys/block");
    private static final long WAIT_NANOS = 20_000_000_000L;

    private GuestDisks() {
    }

    /** The request with every device that names a block serial resolved to the guest disk's node and numbers. */
    static CreateContainerRequest resolved(CreateContainerRequest req, Path sysBlock) throws IOException {
        if (req.getDevicesList().stream().allMatch(d -> d.getBlockSerial().isEmpty())) return req;
        CreateContainerRequest.Builder b = req.toBuilder().clearDevices();
        for (Device d : req.getDevicesList()) {
            if (d.getBlockSerial().isEmpty()) {
                b.addDevices(d);
                continue;
            }
            Path disk = await(sysBlock, d.getBlockSerial(), req.getContainerId());
            String[] mm = Files.readString(disk.resolve("dev")).trim().split(":");
            b.addDevices(d.toBuilder().setType("b").setMajor(Long.parseLong(mm[0])).setMinor(Long.parseLong(mm[1]))
                    .setGuestPath("/dev/" + disk.getFileName()));
        }
        return b.build();
    }

    private static Path await(Path sysBlock, String serial, String cid) throws IOException {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (true) {
            Path disk = find(sysBlock, serial);
            if (disk != null) return disk;
            if (System.nanoTime() > deadline) {
                throw AgentErrors.state("no disk with serial " + serial + " appeared in the guest within "
                        + WAIT_NANOS / 1_000_000_000L + " s for container " + cid + " (is virtio_blk loaded?)");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw AgentErrors.internal("interrupted waiting for disk " + serial, e);
            }
        }
    }

    static Path find(Path sysBlock, String serial) throws IOException {
        if (!Files.isDirectory(sysBlock)) return null;
        try (Stream<Path> s = Files.list(sysBlock)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path f = p.resolve("serial");
                if (Files.isReadable(f) && Files.readString(f).trim().equals(serial)) return p;
            }
        }
        return null;
    }
}
