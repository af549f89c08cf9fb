package org.vcj.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * QEMU confined (TCG): seccomp on and {@code qemu.user=vcj-qemu} (the user {@code scripts/setup.sh} makes), set in a
 * config file given by {@code -Dvcj.conf}. One detached VM in a network namespace the test makes (H, the outside,
 * 192.0.2.1/24; S, the sandbox's, 192.0.2.2/24 on eth0), with a hot-plugged disk (a file of another user, mode 0600)
 * and a 9p volume, carries the checks of the process, the files, the disk, a hot-plugged NIC and a terminal; then a
 * template clone and a cache VM each run a container; a runtime killed once a VM started (before its record) leaves
 * helpers that {@code vcj cleanup} ends. Afterwards: no QEMU, no root helper, no socket directory, the
 * disk file's owner and mode as they were.
 */
@Tag("vm")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QemuConfinedIT {

    private static final Path ROOT = Path.of(System.getProperty("java.io.tmpdir"), "vcj-confined-" + ProcessHandle.current().pid());
    private static final String USER = "vcj-qemu";
    private static final String R = Integer.toString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff), 16);
    private static final String H = "vcjt-host-" + R;
    private static final String S = "vcjt-sb-" + R;
    private static final String ID = "qc-" + R;
    /** A user other than root and QEMU's: the disk file's owner. */
    private static final int DISK_OWNER = 4242;
    private static Set<String> helperDirsBefore;
    private static Path disk;
    private static Path volume;
    private static Cli cli;
    private static String javaOpts;

    @BeforeAll
    static void aConfinedVmInANamespaceWithADiskAndAVolume() throws Exception {
        assertTrue(QemuNetworkIT.sh("getent passwd " + USER + " || true").startsWith(USER + ":"), "no user " + USER
                + "; scripts/setup.sh creates it");
        Files.createDirectories(ROOT);
        helperDirsBefore = helperDirs();
        Path cfg = Files.writeString(ROOT.resolve("confined.cfg"), "qemu.user=" + USER + "\nqemu.seccomp=true\n");
        javaOpts = "-Dvcj.conf=" + cfg;
        cli = new Cli(ROOT, "fs").withEnv(Map.of("VCJ_JAVA_OPTS", javaOpts));
        disk = ROOT.resolve("disk.img");
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(8L << 20);
        }
        Files.setAttribute(disk, "unix:uid", DISK_OWNER);
        Files.setAttribute(disk, "unix:gid", DISK_OWNER);
        Files.setPosixFilePermissions(disk, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        volume = Files.createDirectories(ROOT.resolve("volume"));
        Files.writeString(volume.resolve("from-host"), "written on the host\n");
        QemuNetworkIT.sh("ip netns add " + H + " && ip netns add " + S
                + " && ip link add vh0-" + R + " type veth peer name eth0 netns " + S + " && ip link set vh0-" + R + " netns " + H
                + " && ip -n " + H + " addr add 192.0.2.1/24 dev vh0-" + R + " && ip -n " + H + " link set vh0-" + R + " up"
                + " && ip -n " + S + " addr add 192.0.2.2/24 dev eth0 && ip -n " + S + " link set eth0 up");
        Cli.Result run = cli.run("run", "--detach", "--hypervisor=qemu", "--id=" + ID, "--cpus=1", "--memory=512",
                "--netns=/var/run/netns/" + S, "--device=" + disk + ":/dev/vcjdisk", "--volume=" + volume + ":/data", "--", "sleep", "3600");
        assertEquals(0, run.code(), run.err());
    }

    @Test
    @Order(1)
    void qemuRunsAsItsUserWithItsFilterAndEveryExportHasARootHelper() throws Exception {
        Path vm = ROOT.resolve("sandboxes").resolve(ID).resolve("vm");
        String pid = Files.readString(vm.resolve("qemu.pid")).trim();
        assertConfined(pid);
        List<String> helpers = Distribution.processesMentioning(vm + "/9p-").stream().filter(p -> p.contains("virtfs-proxy-helper")).toList();
        assertEquals(2, helpers.size(), "a proxy helper for the shared directory and one for the volume: " + helpers);
        for (String h : helpers) {
            assertEquals("0", uid(h.substring(0, h.indexOf(':'))), "the helper is root's: " + h);
        }
        assertTrue(Distribution.processesMentioning("qemu-nbd").stream().anyMatch(p -> p.contains(disk.toString())),
                "the disk is served by a root qemu-nbd");
    }

    @Test
    @Order(2)
    void aContainerWritesItsRootfsAndTheVolumeAndTheHostSeesBoth() throws Exception {
        Cli.Result r = exec("sh", "-c", "echo hi > /written && cat /data/from-host && echo from the guest > /data/from-guest"
                + " && stat -c '%u %a' /written");
        assertEquals(0, r.code(), r.err());
        assertEquals("written on the host\n0 644\n", r.out(), "root in the container owns the file it made");
        try (Stream<Path> s = Files.walk(ROOT.resolve("sandboxes").resolve(ID))) {
            List<Path> written = s.filter(p -> p.getFileName().toString().equals("written")).toList();
            assertFalse(written.isEmpty(), "the container's file is on the host");
            for (Path w : written) {
                assertEquals("hi\n", Files.readString(w));
                assertEquals(0, Files.getAttribute(w, "unix:uid"), "owned by root on the host too: " + w);
            }
        }
        assertEquals("from the guest\n", Files.readString(volume.resolve("from-guest")));
    }

    @Test
    @Order(3)
    void theHotPluggedDiskIsReadAndWrittenAndTheFileKeepsItsOwnerAndMode() throws Exception {
        Cli.Result w = exec("sh", "-c", "printf vcj-was-here | dd of=/dev/vcjdisk bs=512 seek=5 conv=fsync 2>/dev/null;"
                + " blockdev --getsize64 /dev/vcjdisk; dd if=/dev/vcjdisk bs=512 skip=5 count=1 2>/dev/null | head -c 12");
        assertEquals(0, w.code(), w.err());
        assertEquals((8L << 20) + "\nvcj-was-here", w.out());
        byte[] got = new byte[12];
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "r")) {
            f.seek(5 * 512);
            f.readFully(got);
        }
        assertEquals("vcj-was-here", new String(got, StandardCharsets.US_ASCII), "the guest's write is in the host file");
        assertDiskUntouched();
    }

    @Test
    @Order(4)
    void aHotPluggedNicInTheNamespaceCarriesTraffic() throws Exception {
        assertTrue(QemuNetworkIT.sh("ip netns exec " + H + " busybox ping -c1 -W5 192.0.2.2").contains("1 packets received"));
        QemuNetworkIT.sh("ip link add vh1-" + R + " type veth peer name eth1 netns " + S + " && ip link set vh1-" + R + " netns " + H
                + " && ip -n " + H + " addr add 198.51.100.1/24 dev vh1-" + R + " && ip -n " + H + " link set vh1-" + R + " up");
        Path json = Files.writeString(ROOT.resolve("eth1.json"),
                "{\"name\":\"eth1\",\"IPAddresses\":[{\"family\":4,\"address\":\"198.51.100.2\",\"mask\":\"24\"}]}");
        Cli.Result add = cli.run("network", "add-iface", ID, json.toString());
        assertEquals(0, add.code(), add.err());
        assertTrue(QemuNetworkIT.sh("ip -n " + S + " tuntap show").contains("vcjtap1: tap") , "the hot-plugged NIC's tap");
        assertTrue(QemuNetworkIT.sh("ip -n " + S + " -d link show vcjtap1").contains("user " + USER),
                "its tap belongs to QEMU's user (QEMU opens it after dropping root)");
        Cli.Result ping = exec("ping", "-c1", "-W5", "198.51.100.1");
        assertTrue(ping.out().contains("1 packets received"), ping.out() + ping.err());
    }

    @Test
    @Order(5)
    void aTerminalWorks() throws Exception {
        String cmd = "VCJ_JAVA_OPTS='" + javaOpts + "' " + Distribution.home().resolve("bin/vcj") + " --root=" + ROOT
                + " --storage=fs exec -t " + ID + " -- sh; echo EXIT=$?; sleep 120";
        try (TmuxSession t = new TmuxSession(cmd, 100, 30)) {
            TerminalIT.driveShell(t, 60);
        }
    }

    @Test
    @Order(6)
    void aTemplateCloneRunsAContainerAsTheUserWithItsOwnHelper() throws Exception {
        Cli.Result r = cli.run("run", "--detach", "--hypervisor=qemu", "--factory=template", "--id=qc-clone", "--", "sleep", "600");
        assertEquals(0, r.code(), r.err());
        Path vm = ROOT.resolve("sandboxes/qc-clone/vm");
        assertConfined(Files.readString(vm.resolve("qemu.pid")).trim());
        assertTrue(Distribution.processesMentioning(vm.resolve("shared").toString()).stream().anyMatch(p -> p.contains("virtfs-proxy-helper")),
                "the clone's share has its own helper");
        Cli.Result w = cli.run("exec", "qc-clone", "--", "sh", "-c", "echo cloned > /written && cat /written");
        assertEquals("cloned\n", w.out(), w.err());
        assertEquals(0, cli.run("delete", "--force", "qc-clone").code());
        assertEquals(List.of(), Distribution.processesMentioning(vm.toString()), "nothing of the clone is left");
    }

    @Test
    @Order(7)
    void aCacheVmRunsAContainer() throws Exception {
        Process server = cli.spawn(ROOT.resolve("serve.log"), "factory", "serve", "--factory=cache", "--size=1", "--hypervisor=qemu",
                "--from=template");
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!cli.run("factory", "status", "--factory=cache").out().lines().anyMatch(l -> l.startsWith("cache") && l.contains(" ready "))) {
                assertTrue(System.nanoTime() < deadline && server.isAlive(), "no cached VM within 120 s: " + Files.readString(ROOT.resolve("serve.log")));
                Thread.sleep(500);
            }
            Cli.Result r = cli.run("run", "--hypervisor=qemu", "--factory=cache", "--", "sh", "-c", "echo cached > /written && cat /written");
            assertEquals(0, r.code(), r.err());
            assertEquals("cached\n", r.out());
            assertEquals(0, cli.run("factory", "destroy", "--factory=cache").code());
            assertTrue(server.waitFor(60, TimeUnit.SECONDS), "the server quit");
        } finally {
            server.destroyForcibly();
        }
        assertEquals(List.of(), Distribution.processesMentioning(ROOT.resolve("factory/cache").toString()), "no cached VM or helper left");
    }

    @Test
    @Order(8)
    void aRuntimeKilledOnceTheVmStartedLeavesHelpersThatCleanupEnds() throws Exception {
        String id = "qc-crash";
        Cli.Result crashed = cli.crashAt("create.vm-started", "run", "--detach", "--hypervisor=qemu", "--id=" + id,
                "--volume=" + volume + ":/data", "--", "sleep", "600");
        assertEquals(137, crashed.code(), "the JVM halted once the VM started, before its record: " + crashed.err());
        Path sandbox = ROOT.resolve("sandboxes").resolve(id);
        assertEquals(2, Distribution.processesMentioning(sandbox.toString()).stream().filter(p -> p.contains("virtfs-proxy-helper")).count(),
                "the unrecorded VM's two proxy helpers run");
        Cli.Result sweep = cli.run("cleanup");
        assertEquals(0, sweep.code(), sweep.err());
        if (cli.run("list").out().contains(id)) assertEquals(0, cli.run("delete", "--force", id).code());
        assertEquals(List.of(), Distribution.processesMentioning(sandbox.toString()), "no QEMU and no helper of it left");
    }

    @AfterAll
    static void nothingIsLeft() throws Exception {
        List<String> problems = new ArrayList<>();
        try {
            if (cli != null) {
                Cli.Result del = cli.run("delete", "--force", ID);
                if (del.code() != 0) problems.add("delete: " + del.err());
                cli.run("factory", "destroy", "--factory=cache");
                cli.run("factory", "destroy");
                List<String> procs = Distribution.processesMentioning(ROOT.toString());
                if (!procs.isEmpty()) problems.add("processes left: " + procs);
                Set<String> dirs = helperDirs();
                dirs.removeAll(helperDirsBefore);
                if (!dirs.isEmpty()) problems.add("helper socket directories left: " + dirs);
                try {
                    assertDiskUntouched();
                } catch (AssertionError e) {
                    problems.add(e.getMessage());
                }
            }
        } finally {
            Distribution.stopProcessesMentioning(ROOT.toString());
            QemuNetworkIT.shQuiet("ip netns del " + S);
            QemuNetworkIT.shQuiet("ip netns del " + H);
            Distribution.deleteTree(ROOT);
        }
        assertEquals(List.of(), problems, "nothing is left");
    }

    /** QEMU {@code pid} runs as {@value #USER} (every uid of /proc/PID/status) with {@code -sandbox on,...}. */
    private static void assertConfined(String pid) throws Exception {
        String uid = QemuNetworkIT.sh("id -u " + USER).trim();
        String status = Files.readString(Path.of("/proc", pid, "status"));
        String uids = status.lines().filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow();
        assertEquals(List.of(uid, uid, uid, uid), List.of(uids.substring(4).trim().split("\\s+")), "real, effective, saved, fs uid: " + uids);
        List<String> args = List.of(Files.readString(Path.of("/proc", pid, "cmdline")).split("\0"));
        assertTrue(args.get(args.indexOf("-sandbox") + 1).startsWith("on,obsolete=deny,"), "QEMU's seccomp filter: " + args);
        assertTrue(status.lines().anyMatch(l -> l.matches("Seccomp:\\s+2")), "the filter is installed (mode 2):\n" + status);
    }

    private static String uid(String pid) throws Exception {
        return Files.readString(Path.of("/proc", pid, "status")).lines().filter(l -> l.startsWith("Uid:")).findFirst()
                .orElseThrow().substring(4).trim().split("\\s+")[1];
    }

    private static void assertDiskUntouched() throws Exception {
        assertEquals(List.of(DISK_OWNER, DISK_OWNER, "rw-------"), List.of(Files.getAttribute(disk, "unix:uid"),
                Files.getAttribute(disk, "unix:gid"), java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(disk))),
                "the disk file keeps its owner and mode");
    }

    private static Set<String> helperDirs() throws Exception {
        try (Stream<Path> s = Files.list(Path.of("/tmp"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("vcj-helper-")).collect(Collectors.toSet());
        }
    }

    private static Cli.Result exec(String... cmd) throws Exception {
        List<String> args = new ArrayList<>(List.of("exec", ID, "--"));
        args.addAll(List.of(cmd));
        return cli.run(args.toArray(String[]::new));
    }
}
