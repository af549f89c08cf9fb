package org.vcj.support.factory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalInt;

import org.vcj.api.Cmd;
import org.vcj.api.ContainerConfig;
import org.vcj.api.HypervisorException;
import org.vcj.api.agent.Agent;
import org.vcj.api.hypervisor.VM;
import org.vcj.support.fs.FileTrees;

/**
 * Runs one short sandbox in a VM that is not a sandbox's yet, through the same agent calls a sandbox makes (identity,
 * shared directory, container with output, exec, kill, removal), and leaves the VM as it found it (no sandbox, the
 * share unmounted, the warm-up's files removed). The template factory runs it before saving its template, so that
 * every clone starts with those code paths loaded and compiled in the guest agent and crun's pages in the guest's
 * page cache; the cache factory runs it in each VM it keeps ready, so that under TCG the guest code a sandbox runs
 * first is translated already in that VM's QEMU (a translation never outlives its QEMU process: a clone starts with
 * none). The rootfs is the host's static busybox on the shared directory, which the agent unmounts again on
 * DestroySandbox (a guest with the share mounted cannot be saved).
 */
public final class AgentWarmUp {

    private static final String ID = "vcj-template-warmup";
    private static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final Duration STEP = Duration.ofSeconds(60);

    private AgentWarmUp() { }

    /** Runs the warm-up sandbox in {@code vm} through {@code agent}; a failure is a {@link HypervisorException}. */
    public static void run(Agent agent, VM vm) throws IOException {
        if (!Files.isRegularFile(BUSYBOX)) return;   // nothing to run containers with: the VM just starts colder
        Path dir = Path.of(vm.hostSharedDir(), ID);
        try {
            warmUp(agent, vm, dir.resolve("rootfs"));
        } finally {
            FileTrees.delete(dir);
        }
    }

    private static void warmUp(Agent agent, VM vm, Path rootfs) throws IOException {
        Files.createDirectories(rootfs.resolve("bin"));
        Files.copy(BUSYBOX, rootfs.resolve("bin/busybox"), StandardCopyOption.REPLACE_EXISTING);
        for (String d : new String[] {"proc", "dev", "sys", "tmp", "etc"}) Files.createDirectories(rootfs.resolve(d));
        agent.setGuestDateTime(Instant.now());
        byte[] seed = new byte[64];
        new SecureRandom().nextBytes(seed);
        agent.reseedRandomDev(seed);
        agent.createSandbox(ID, "vcj-template", vm.guestSharedDir());
        try {
            ContainerConfig cc = ContainerConfig.builder(ID).rootFs(vm.guestSharedDir() + "/" + ID + "/rootfs")
                    .cmd(Cmd.builder("/bin/busybox", "sh", "-c", "echo warm; exec /bin/busybox sleep 60").workDir("/").build()).build();
            agent.createContainer(cc);
            agent.startContainer(ID);
            String out = new String(agent.readStdout(ID, ID, 64), StandardCharsets.UTF_8);
            if (!out.startsWith("warm")) throw new HypervisorException(vm.id(), "template warm-up", "the container printed '" + out + "'", null);
            agent.execProcess(ID, "warm-exec", Cmd.builder("/bin/busybox", "true").workDir("/").build());
            OptionalInt exec = agent.waitProcess(ID, "warm-exec", STEP);
            if (exec.isEmpty() || exec.getAsInt() != 0) throw new HypervisorException(vm.id(), "template warm-up", "exec ended " + exec, null);
            agent.listProcesses(ID, "table", java.util.List.of());
            agent.statsContainer(ID);
            agent.signalProcess(ID, ID, 9, false);
            agent.waitProcess(ID, ID, STEP);
            agent.removeContainer(ID, STEP);
        } finally {
            agent.destroySandbox();
        }
    }
}
