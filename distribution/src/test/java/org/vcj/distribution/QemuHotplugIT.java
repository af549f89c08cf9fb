package org.vcj.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Hotplug on one real QEMU VM (TCG here), shared by the checks and driven by fresh CLI JVMs: a host file as the
 * container's disk, vCPUs and memory grown by {@code vcj update}, the VM itself paused and resumed. Plus what the
 * mock hypervisor refuses.
 */
@Tag("vm")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QemuHotplugIT {

    private static final Path ROOT = Path.of(System.getProperty("java.io.tmpdir"), "vcj-hotplug-" + ProcessHandle.current().pid());
    private static final String ID = "q-hot";
    private static final long DISK_BYTES = 16L << 20;
    private static Path disk;
    private static Path volume;
    private static Cli cli;

    @BeforeAll
    static void aDetachedVmWithADisk() throws Exception {
        Files.createDirectories(ROOT);
        disk = ROOT.resolve("disk.img");
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(DISK_BYTES);
        }
        volume = Files.createDirectories(ROOT.resolve("volume"));
        Files.writeString(volume.resolve("from-host"), "written on the host\n");
        cli = new Cli(ROOT, "fs");
        Cli.Result run = cli.run("run", "--detach", "--hypervisor=qemu", "--id=" + ID, "--cpus=1", "--memory=512",
                "--device=" + disk + ":/dev/vcjdisk", "--volume=" + volume + ":/data", "--", "sh", "-c", "while :; do date +%s >> /ticks; sleep 1; done");
        assertEquals(0, run.code(), run.err());
    }

    @AfterAll
    static void deleteLeavesNothing() throws Exception {
        if (cli == null) return;
        Cli.Result del = cli.run("delete", "--force", ID);
        assertEquals(0, del.code(), del.err());
        Path dir = ROOT.resolve("sandboxes").resolve(ID);
        assertTrue(!Files.exists(dir), "no sandbox directory");
        assertEquals(List.of(), Distribution.processesMentioning(dir.toString()), "no QEMU left");
        Files.deleteIfExists(disk);
        try (var files = Files.list(volume)) {
            for (Path f : (Iterable<Path>) files::iterator) Files.delete(f);
        }
        Files.delete(volume);
        try (var all = Files.walk(ROOT)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    @Test
    @Order(0)
    void aVolumeIsItsOwn9pExportMountedInTheContainer() throws Exception {
        Cli.Result r = exec("sh", "-c", "cat /data/from-host; echo written in the container > /data/from-guest;"
                + " grep ' /data ' /proc/mounts | cut -d' ' -f1,3");
        assertEquals(0, r.code(), r.err());
        assertEquals("written on the host\nvol0 9p\n", r.out(), "the host's file, through the volume's own 9p export (tag vol0)");
        assertEquals("written in the container\n", Files.readString(volume.resolve("from-guest")));
    }

    @Test
    @Order(1)
    void theHostFileIsADiskWithTheGuestsNumbersAndWritesReachTheHost() throws Exception {
        // The guest's own view: the virtio disk whose serial is the id vcj gave it, its major:minor in /sys, and the
        // node crun made in the container.
        Cli.Result probe = exec("sh", "-c", "for d in /sys/block/vd*; do echo disk $(cat $d/serial) $(cat $d/dev); done;"
                + " stat -c 'node %t:%T %F' /dev/vcjdisk; blockdev --getsize64 /dev/vcjdisk");
        assertEquals(0, probe.code(), probe.err());
        List<String> lines = probe.out().lines().toList();
        String guestDev = lines.stream().filter(l -> l.startsWith("disk vd")).map(l -> l.split(" ")[2]).findFirst()
                .orElseThrow(() -> new AssertionError("no virtio disk named by vcj in the guest:\n" + probe.out()));
        String[] mm = guestDev.split(":");
        String hex = Integer.toHexString(Integer.parseInt(mm[0])) + ":" + Integer.toHexString(Integer.parseInt(mm[1]));
        assertTrue(lines.contains("node " + hex + " block special file"),
                "the container's node has the guest disk's major:minor " + guestDev + ":\n" + probe.out());
        assertTrue(lines.contains(Long.toString(DISK_BYTES)), "the disk is the 16 MiB host file:\n" + probe.out());

        Cli.Result write = exec("sh", "-c", "printf vcj-was-here | dd of=/dev/vcjdisk bs=512 seek=3 conv=fsync 2>/dev/null; sync");
        assertEquals(0, write.code(), write.err());
        byte[] got = new byte[12];
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "r")) {
            f.seek(3 * 512);
            f.readFully(got);
        }
        assertEquals("vcj-was-here", new String(got, StandardCharsets.US_ASCII), "the container's write is in the host file");
        String blocks = QmpProbe.execute(qmp(), "query-block", null);
        assertTrue(blocks.contains(disk.toString()) || blocks.contains("nbd+unix")
                && Distribution.processesMentioning(disk.toString()).stream().anyMatch(p -> p.contains("qemu-nbd")),
                "QEMU has the file as a block node (or, as qemu.user, an NBD node that a root qemu-nbd of the file serves): " + blocks);
    }

    @Test
    @Order(2)
    void deviceAddPlugsADiskIntoTheRunningVm() throws Exception {
        Path second = ROOT.resolve("second.img");
        try (RandomAccessFile f = new RandomAccessFile(second.toFile(), "rw")) {
            f.setLength(4L << 20);
        }
        Cli.Result add = cli.run("device", "add", ID, "--host-path=" + second);
        assertEquals(0, add.code(), add.err());
        String id = add.out().trim();
        assertTrue(id.matches("vd[0-9a-f]{14}"), add.out());
        Cli.Result seen = exec("sh", "-c", "for d in /sys/block/vd*; do echo $(cat $d/serial) $(cat $d/size); done");
        assertTrue(seen.out().lines().anyMatch(l -> l.equals(id + " 8192")), "the guest has a 4 MiB disk with serial " + id
                + ":\n" + seen.out());
        Cli.Result missing = cli.run("device", "add", ID, "--host-path=" + ROOT.resolve("nope.img"));
        assertEquals(1, missing.code());
        assertTrue(missing.err().startsWith("vcj: invalid DeviceInfo.HostPath"), missing.err());
    }

    @Test
    @Order(3)
    void updateGrowsTheVcpusTheGuestSees() throws Exception {
        assertEquals("1\n", exec("nproc").out());
        Cli.Result update = cli.run("update", ID, "--cpus=2");
        assertEquals(0, update.code(), update.err());
        assertEquals("2\n", exec("nproc").out(), "the hot-plugged vCPU is online in the guest");
        assertTrue(QmpProbe.execute(qmp(), "query-cpus-fast", null).contains("\"cpu-index\": 1"), "QEMU runs 2 vCPUs");
    }

    @Test
    @Order(4)
    void updateGrowsTheMemoryTheGuestSees() throws Exception {
        long before = memTotalKiB();
        Cli.Result update = cli.run("update", ID, "--memory=768");
        assertEquals(0, update.code(), update.err());
        long after = memTotalKiB();
        assertTrue(after >= before + 200 * 1024, "MemTotal grew by the 256 MiB DIMM: " + before + " kB -> " + after + " kB");
        assertTrue(QmpProbe.execute(qmp(), "query-memory-devices", null).contains("\"type\": \"dimm\""), "QEMU has the DIMM");
    }

    @Test
    @Order(5)
    void pauseStopsTheVmItselfAndResumeRunsItAgain() throws Exception {
        Cli.Result pause = cli.run("pause", ID);
        assertEquals(0, pause.code(), pause.err());
        assertEquals("paused", QmpProbe.status(qmp()), "QEMU says the VM is paused");
        assertTrue(cli.run("status", ID).out().contains("paused (VM paused)"), "a later CLI JVM says so too");
        Cli.Result exec = exec("true");
        assertEquals(1, exec.code());
        assertTrue(exec.err().startsWith("vcj: cannot enter container '" + ID + "' in state paused"), exec.err());
        Cli.Result update = cli.run("update", ID, "--cpus=3");
        assertEquals(1, update.code(), "no hotplug into a paused VM");
        assertTrue(update.err().contains("its VM is paused"), update.err());
        Cli.Result resume = cli.run("resume", ID);
        assertEquals(0, resume.code(), resume.err());
        assertEquals("running", QmpProbe.status(qmp()));
        assertEquals("2\n", exec("nproc").out(), "exec works again, and the refused update plugged nothing");
    }

    @Test
    @Order(6)
    void theMockSaysWhatItCannotDo() throws Exception {
        Cli.Result file = cli.run("run", "--hypervisor=mock", "--id=m-dev", "--device=" + disk + ":/dev/vcjdisk", "--", "true");
        assertEquals(1, file.code());
        assertTrue(file.err().startsWith("vcj: addDevice is not supported by hypervisor mock"), file.err());
        Cli.Result run = cli.run("run", "--detach", "--hypervisor=mock", "--id=m-hot", "--", "sleep", "600");
        assertEquals(0, run.code(), run.err());
        try {
            Cli.Result cpus = cli.run("update", "m-hot", "--cpus=64");
            assertEquals(1, cpus.code());
            assertTrue(cpus.err().startsWith("vcj: resizeVCPUs is not supported by hypervisor mock"), cpus.err());
            Cli.Result pause = cli.run("pause", "m-hot");
            assertEquals(0, pause.code(), pause.err());
            assertTrue(cli.run("status", "m-hot").out().contains("paused (containers frozen; the hypervisor cannot pause the VM)"));
        } finally {
            assertEquals(0, cli.run("delete", "--force", "m-hot").code());
        }
    }

    private static Cli.Result exec(String... cmd) throws Exception {
        String[] args = new String[cmd.length + 3];
        args[0] = "exec";
        args[1] = ID;
        args[2] = "--";
        System.arraycopy(cmd, 0, args, 3, cmd.length);
        return cli.run(args);
    }

    private static long memTotalKiB() throws Exception {
        Cli.Result r = exec("grep", "MemTotal", "/proc/meminfo");
        assertEquals(0, r.code(), r.err());
        return Long.parseLong(r.out().replaceAll("[^0-9]", ""));
    }

    private static Path qmp() {
        return ROOT.resolve("sandboxes").resolve(ID).resolve("vm/qmp.sock");
    }
}
