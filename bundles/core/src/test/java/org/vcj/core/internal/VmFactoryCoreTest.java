package org.vcj.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vcj.api.HypervisorException;
import org.vcj.api.HypervisorType;
import org.vcj.api.InvalidConfigException;
import org.vcj.api.PluginNotFoundException;
import org.vcj.api.SandboxConfig;
import org.vcj.api.factory.FactoryStatus;
import org.vcj.api.factory.VMFactory;
import org.vcj.api.factory.VMRequest;
import org.vcj.api.hypervisor.VM;

/** Every VM comes through a VM factory: which one, what it is asked, what is remembered, what is refused. */
class VmFactoryCoreTest {

    @TempDir Path root;
    final Fakes.MemoryStorage storage = new Fakes.MemoryStorage();
    final Fakes.FakeHypervisor hv = new Fakes.FakeHypervisor();
    final List<String> agentCalls = new CopyOnWriteArrayList<>();
    final List<VMRequest> asked = new CopyOnWriteArrayList<>();
    VcService vc;

    /** A factory that boots with the hypervisor and remembers each request. */
    final VMFactory recording = new VMFactory() {
        @Override
        public VM newVM(VMRequest request) {
            asked.add(request);
            return request.hypervisor().startVM(request.config(), request.timeout());
        }

        @Override
        public List<FactoryStatus> status(Path r) {
            return List.of(new FactoryStatus("rec", r.toString(), "ready", 0, null, asked.size(), ""));
        }
    };

    @BeforeEach
    void setUp() {
        vc = new VcService(root, "mem", Duration.ofMillis(50));
        vc.addStorage(storage, Map.of("vcj.storage", "mem"));
        vc.addHypervisor(hv, Map.of("vcj.hypervisor", "fake"));
        vc.addFactory(recording, Map.of(VMFactory.TYPE, "rec"));
        vc.setConnector((sid, address, timeout) -> Fakes.agent(agentCalls, ""));
    }

    private static SandboxConfig config(String id, int vcpus) {
        return SandboxConfig.builder(id).hypervisorType(new HypervisorType("fake"))
                .vmConfig(new org.vcj.api.Resources(vcpus, 256)).build();
    }

    @Test
    void theNamedFactoryIsAskedWithTheSandboxResourcesAndRememberedForARestart() {
        vc.createSandbox(config("f1", 3), "rec");
        assertEquals(1, asked.size());
        VMRequest r = asked.get(0);
        assertEquals("fake", r.hypervisorType());
        assertEquals(3, r.config().hypervisorConfig().numVCPUs());
        assertEquals(256, r.config().hypervisorConfig().memorySize());
        assertEquals(root.resolve("sandboxes/f1/vm").toString(), r.config().runDir());
        assertEquals(root, r.root());
        assertTrue(new String(storage.data.get("sandbox/f1")).contains("\"factory\":\"rec\""), "the factory is saved with the sandbox");

        vc.startSandbox("f1");
        vc.stopSandbox("f1", true);
        setUp();   // a fresh service (another runtime process) restarts it
        vc.startSandbox("f1");
        assertEquals(2, asked.size(), "a stopped sandbox's new VM comes from the same factory");
        vc.stopSandbox("f1", true);
        vc.deleteSandbox("f1");
    }

    @Test
    void withoutAFactoryTheDirectFactoryBootsTheVm() {
        vc.createSandbox(config("d1", 1));
        assertEquals(List.of(), asked);
        assertTrue(hv.calls.contains("startVM d1"));
        assertTrue(new String(storage.data.get("sandbox/d1")).contains("\"factory\":\"direct\""));
        vc.deleteSandbox("d1");
    }

    @Test
    void anUnknownFactoryIsATypedErrorThatChangesNothing() {
        PluginNotFoundException e = assertThrows(PluginNotFoundException.class, () -> vc.createSandbox(config("u1", 1), "nosuch"));
        assertTrue(e.getMessage().contains("direct") && e.getMessage().contains("rec"), "lists the installed ones: " + e.getMessage());
        assertFalse(storage.data.containsKey("sandbox/u1"));
        assertFalse(Files.exists(root.resolve("sandboxes/u1")));
    }

    @Test
    void aVmOfAnotherHypervisorIsStoppedAndRefused() {
        vc.addFactory(request -> {
            VM vm = request.hypervisor().startVM(request.config(), request.timeout());
            return new VM(vm.id(), "other", 1, 1, vm.runDir(), vm.hostSharedDir(), vm.guestSharedDir(), vm.agentAddress(), Map.of());
        }, Map.of(VMFactory.TYPE, "wrong"));
        vc.addHypervisor(hv, Map.of("vcj.hypervisor", "other"));
        HypervisorException e = assertThrows(HypervisorException.class, () -> vc.createSandbox(config("w1", 1), "wrong"));
        assertTrue(e.getMessage().contains("'other'"), e.getMessage());
        assertTrue(hv.calls.contains("stopVM w1"));
        assertFalse(storage.data.containsKey("sandbox/w1"), "rolled back");
    }

    @Test
    void factoryManagementReachesThePluginAndRefusesBadInput() {
        List<FactoryStatus> st = vc.factoryStatus("rec");
        assertEquals(root.toString(), st.get(0).name());
        assertEquals(List.of(), vc.factoryStatus("direct"), "direct keeps nothing");
        assertThrows(InvalidConfigException.class, () -> vc.factoryStatus(" "));
        assertThrows(InvalidConfigException.class, () -> vc.serveFactory("rec", "direct", 0, config("s", 1)));
        assertThrows(InvalidConfigException.class, () -> vc.serveFactory("rec", "rec", 1, config("s", 1)));
        assertThrows(org.vcj.api.NotSupportedException.class, () -> vc.serveFactory("rec", "direct", 1, config("s", 1)),
                "a factory that is no server says so");
        assertEquals(List.of(), vc.initFactory("rec", config("i", 1)).stream().filter(s -> !s.factory().equals("rec")).toList());
    }
}
