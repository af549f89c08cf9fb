package org.vcj.distribution.acme;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.tracker.ServiceTracker;
import org.vcj.api.Device;
import org.vcj.api.DeviceInfo;
import org.vcj.api.HypervisorException;
import org.vcj.api.hypervisor.Hypervisor;
import org.vcj.api.hypervisor.HypervisorCapabilities;
import org.vcj.api.hypervisor.VM;
import org.vcj.api.hypervisor.VMConfig;

/**
 * A third-party hypervisor plugin as a vendor would write one, built into a bundle by the tests (never shipped):
 * it registers {@code vcj.hypervisor=acme} and delegates to the installed mock hypervisor, logging every VM it
 * starts and stops to {@code acme.log} in the VM's run directory's parent.
 */
public final class AcmeHypervisor implements Hypervisor, BundleActivator {

    private ServiceTracker<Hypervisor, Hypervisor> mock;
    private ServiceRegistration<Hypervisor> registration;

    @Override
    public void start(BundleContext context) throws Exception {
        mock = new ServiceTracker<>(context, context.createFilter("(&(objectClass=" + Hypervisor.class.getName()
                + ")(" + Hypervisor.TYPE + "=mock))"), null);
        mock.open();
        registration = context.registerService(Hypervisor.class, this,
                new java.util.Hashtable<>(java.util.Map.of(Hypervisor.TYPE, "acme")));
    }

    @Override
    public void stop(BundleContext context) {
        registration.unregister();
        mock.close();
    }

    private Hypervisor mock() {
        Hypervisor h = mock.getService();
        if (h == null) throw new HypervisorException(null, "acme", "the acme plugin needs the mock hypervisor", null);
        return h;
    }

    private static void log(VM vm, String what) {
        try {
            Files.writeString(Path.of(vm.runDir()).getParent().resolve("acme.log"), what + " " + vm.id() + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new HypervisorException(vm.id(), "acme log", e.getMessage(), e);
        }
    }

    @Override public HypervisorCapabilities capabilities() { return mock().capabilities(); }

    @Override
    public VM startVM(VMConfig config, Duration timeout) {
        VM mocked = mock().startVM(config, timeout);
        // The VM names the plugin that drives it from now on: acme, not the mock it delegates to.
        VM vm = new VM(mocked.id(), "acme", mocked.vcpus(), mocked.memoryMiB(), mocked.runDir(), mocked.hostSharedDir(),
                mocked.guestSharedDir(), mocked.agentAddress(), mocked.state());
        log(vm, "startVM");
        return vm;
    }

    @Override
    public void stopVM(VM vm, boolean force) {
        log(vm, "stopVM");
        mock().stopVM(vm, force);
    }

    @Override public void pauseVM(VM vm) { mock().pauseVM(vm); }
    @Override public void resumeVM(VM vm) { mock().resumeVM(vm); }
    @Override public void saveVM(VM vm, Path stateFile) { mock().saveVM(vm, stateFile); }
    @Override public Device addDevice(VM vm, DeviceInfo info) { return mock().addDevice(vm, info); }
    @Override public void removeDevice(VM vm, Device device) { mock().removeDevice(vm, device); }
    @Override public VM resizeVCPUs(VM vm, int vcpus) { return mock().resizeVCPUs(vm, vcpus); }
    @Override public VM resizeMemory(VM vm, int memoryMiB) { return mock().resizeMemory(vm, memoryMiB); }
    @Override public List<Long> pids(VM vm) { return mock().pids(vm); }
    @Override public void check(VM vm) { mock().check(vm); }
}
