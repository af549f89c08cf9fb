package org.vcj.core.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Instant;

import org.vcj.api.HypervisorException;
import org.vcj.api.SandboxConfig;
import org.vcj.api.agent.Agent;
import org.vcj.api.factory.VMFactory;
import org.vcj.api.factory.VMRequest;
import org.vcj.api.hypervisor.VM;

/**
 * A sandbox's VM: taken from its VM factory, saved in the record, then given its own identity through the agent
 * before any container runs (wall clock and random pool: a clone resumes with its template's; hostname and shared
 * directory). Each step's time goes to {@link PhaseTimes}. Callers hold the sandbox lock.
 */
final class VmBoot {

    private final Engine engine;

    VmBoot(Engine engine) {
        this.engine = engine;
    }

    /** The record with its VM, saved; the agent's sandbox created and the guest network applied. */
    SandboxRecord boot(SandboxRecord r) {
        try {
            Files.createDirectories(engine.paths.vmRunDir(r.id()));
        } catch (IOException e) {
            throw new HypervisorException(r.id(), "create", "cannot create " + engine.paths.vmRunDir(r.id()) + ": " + e.getMessage(), e);
        }
        SandboxConfig cfg = r.config();
        VMRequest request = engine.vmRequest(cfg, r.id(), engine.paths.vmRunDir(r.id()));
        VMFactory factory = engine.factories.require(r.vmFactory(), engine.pluginGrace);
        GuestNetworkSetup.requireVmStartedForRequest(cfg, r.vmFactory(), factory);
        CrashPoints.reach("create.vm-starting");
        long t = PhaseTimes.start();
        VM vm = factory.newVM(request);
        t = PhaseTimes.since(t, r.id(), "vm-start(" + r.vmFactory() + ")");
        CrashPoints.reach("create.vm-started");
        if (!vm.hypervisorType().equals(request.hypervisorType())) {
            engine.hypervisors.require(vm.hypervisorType(), engine.pluginGrace).stopVM(vm, true);
            throw new HypervisorException(r.id(), "create", "VM factory '" + r.vmFactory() + "' returned a VM of hypervisor '"
                    + vm.hypervisorType() + "' for a sandbox of '" + request.hypervisorType() + "'", null);
        }
        r = engine.records.save(r.withVm(vm));
        t = PhaseTimes.since(t, r.id(), "record-vm");
        CrashPoints.reach("create.vm-saved");
        Agent agent = engine.agents.of(r);
        try (BootProgress progress = BootProgress.show(r.id(), () -> request.hypervisor().bootStage(vm))) {
            if (request.hypervisor().capabilities().isolation()) {
                agent.setGuestDateTime(Instant.now()); // the first call waits for the agent
                t = PhaseTimes.since(t, r.id(), "agent-connect+clock");
                agent.reseedRandomDev(randomSeed());
            }
            agent.createSandbox(r.id(), cfg.hostname(), vm.guestSharedDir());
            t = PhaseTimes.since(t, r.id(), "agent-reseed+create-sandbox");
        }
        CrashPoints.reach("create.agent-sandbox-created");
        GuestNetworkSetup.apply(request.hypervisor().guestNetwork(vm), agent);
        PhaseTimes.since(t, r.id(), "guest-network");
        return r;
    }

    private static byte[] randomSeed() {
        byte[] seed = new byte[64];
        new SecureRandom().nextBytes(seed);
        return seed;
    }
}
