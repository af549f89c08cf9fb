package org.vcj.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A QEMU sandbox (TCG) in a network namespace the test makes: namespace H (the "outside", 192.0.2.1/24) and the
 * sandbox's namespace S (192.0.2.2/24 on its end of a veth pair named eth0). One VM for all the checks; traffic only
 * between H and the VM, addresses only from 192.0.2.0/24 and 198.51.100.0/24. Everything is removed afterwards, also
 * when a check failed.
 */
@Tag("vm")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QemuNetworkIT {

    private static final Path ROOT = Path.of(System.getProperty("java.io.tmpdir"), "vcj-qnet-" + ProcessHandle.current().pid());
    private static final String R = Integer.toString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff), 16);
    private static final String H = "vcjt-host-" + R;
    private static final String S = "vcjt-sb-" + R;
    private static final String ID = "qn-" + R;
    private static final Cli CLI = new Cli(ROOT, "fs");
    private static String eth0Mac;

    @BeforeAll
    static void namespacesAndSandbox() throws Exception {
        Files.createDirectories(ROOT);
        sh("ip netns add " + H + " && ip netns add " + S
                + " && ip link add vh0-" + R + " type veth peer name eth0 netns " + S
                + " && ip link set vh0-" + R + " netns " + H
                + " && ip -n " + H + " addr add 192.0.2.1/24 dev vh0-" + R + " && ip -n " + H + " link set vh0-" + R + " up"
                + " && ip -n " + S + " addr add 192.0.2.2/24 dev eth0 && ip -n " + S + " link set eth0 up");
        eth0Mac = sh("ip netns exec " + S + " cat /sys/class/net/eth0/address").trim();
        Cli.Result run = CLI.run("run", "--detach", "--hypervisor=qemu", "--id=" + ID, "--netns=/var/run/netns/" + S, "--", "sleep", "3600");
        assertEquals(0, run.code(), run.err());
    }

    @Test
    @Order(1)
    void theGuestHasTheVethsAddressAndMac() throws Exception {
        Cli.Result addr = CLI.run("exec", ID, "--", "ip", "addr");
        assertEquals(0, addr.code(), addr.err());
        assertTrue(addr.out().contains("inet 192.0.2.2/24"), addr.out());
        assertTrue(addr.out().contains("link/ether " + eth0Mac), "the guest NIC has the veth's MAC " + eth0Mac + ":\n" + addr.out());
        assertTrue(sh("ip -n " + S + " -o link show").contains("vcjtap0"), "the tap is in the sandbox's namespace");
    }

    @Test
    @Order(2)
    void trafficFlowsBothWays() throws Exception {
        String fromOutside = sh("ip netns exec " + H + " busybox ping -c1 -W5 192.0.2.2");
        assertTrue(fromOutside.contains("1 packets received"), fromOutside);
        Cli.Result fromContainer = CLI.run("exec", ID, "--", "ping", "-c1", "-W5", "192.0.2.1");
        assertEquals(0, fromContainer.code(), fromContainer.out() + fromContainer.err());
        assertTrue(fromContainer.out().contains("1 packets received"), fromContainer.out());
    }

    @Test
    @Order(3)
    void aHotPluggedNicCarriesTrafficAndGoesAway() throws Exception {
        sh("ip link add vh1-" + R + " type veth peer name eth1 netns " + S + " && ip link set vh1-" + R + " netns " + H
                + " && ip -n " + H + " addr add 198.51.100.1/24 dev vh1-" + R + " && ip -n " + H + " link set vh1-" + R + " up");
        Path json = Files.writeString(ROOT.resolve("eth1.json"),
                "{\"name\":\"eth1\",\"IPAddresses\":[{\"family\":4,\"address\":\"198.51.100.2\",\"mask\":\"24\"}]}");
        Cli.Result add = CLI.run("network", "add-iface", ID, json.toString());
        assertEquals(0, add.code(), add.err());
        assertTrue(add.out().contains("\"name\":\"eth1\"") && add.out().contains("198.51.100.2"), add.out());
        String fromOutside = sh("ip netns exec " + H + " busybox ping -c1 -W5 198.51.100.2");
        assertTrue(fromOutside.contains("1 packets received"), fromOutside);
        Cli.Result list = CLI.run("network", "list-ifaces", ID);
        assertEquals(0, list.code(), list.err());
        assertTrue(list.out().contains("\"name\":\"eth1\""), list.out());

        Cli.Result del = CLI.run("network", "del-iface", ID, json.toString());
        assertEquals(0, del.code(), del.err());
        Cli.Result links = CLI.run("exec", ID, "--", "ip", "link");
        assertEquals(0, links.code(), links.err());
        assertFalse(links.out().contains("eth1"), "gone from the guest:\n" + links.out());
        assertFalse(sh("ip -n " + S + " -o link show").contains("vcjtap1"), "its tap is gone from the namespace");
        Cli.Result again = CLI.run("network", "del-iface", ID, json.toString());
        assertEquals(1, again.code(), "removing it twice is an error");
        assertTrue(again.err().contains("eth1"), again.err());
    }

    @Test
    @Order(4)
    void routesAreUpdatedAndListed() throws Exception {
        Path json = Files.writeString(ROOT.resolve("routes.json"),
                "[{\"dest\":\"198.51.100.128/25\",\"gateway\":\"192.0.2.1\",\"device\":\"eth0\"}]");
        Cli.Result update = CLI.run("network", "update-routes", ID, json.toString());
        assertEquals(0, update.code(), update.err());
        Cli.Result list = CLI.run("network", "list-routes", ID);
        assertEquals(0, list.code(), list.err());
        assertTrue(list.out().contains("{\"dest\":\"198.51.100.128/25\",\"gateway\":\"192.0.2.1\",\"device\":\"eth0\""), list.out());
        Cli.Result route = CLI.run("exec", ID, "--", "ip", "route");
        assertTrue(route.out().contains("198.51.100.128/25 via 192.0.2.1 dev eth0"), route.out());
    }

    @AfterAll
    static void removeEverything() throws Exception {
        List<String> problems = new ArrayList<>();
        try {
            Cli.Result del = CLI.run("delete", "--force", ID);
            if (del.code() != 0) problems.add("delete: " + del.err());
            String links = sh("ip -n " + S + " -o link show");
            if (links.contains("vcjtap")) problems.add("taps left: " + links);
            String qdiscs = sh("tc -n " + S + " qdisc show dev eth0");
            if (qdiscs.contains("ingress")) problems.add("ingress qdisc left on eth0: " + qdiscs);
            List<String> procs = Distribution.processesMentioning(ROOT.resolve("sandboxes").resolve(ID).toString());
            if (!procs.isEmpty()) problems.add("processes left: " + procs);
        } finally {
            shQuiet("ip netns del " + S);
            shQuiet("ip netns del " + H);
            shQuiet("rm -rf " + ROOT);
        }
        assertEquals(List.of(), problems, "nothing is left of the sandbox's network");
    }

    /** Runs a shell command (bounded: 30 s); returns its output, or throws with it when it fails. */
    static String sh(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
        java.util.concurrent.CompletableFuture<byte[]> out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return p.getInputStream().readAllBytes();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(command + " did not finish in 30 s");
        }
        String text;
        try {
            text = new String(out.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(command + ": no output", e);
        }
        if (p.exitValue() != 0) throw new AssertionError(command + " failed (" + p.exitValue() + "): " + text);
        return text;
    }

    static void shQuiet(String command) {
        try {
            sh(command);
        } catch (Exception | AssertionError e) {
            // cleanup of what may not exist
        }
    }
}
