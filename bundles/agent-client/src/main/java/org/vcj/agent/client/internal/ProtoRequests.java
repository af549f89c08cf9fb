package org.vcj.agent.client.internal;

import org.vcj.agent.protocol.Capabilities;
import org.vcj.agent.protocol.CreateContainerRequest;
import org.vcj.agent.protocol.Device;
import org.vcj.agent.protocol.EnvVar;
import org.vcj.agent.protocol.IPAddress;
import org.vcj.agent.protocol.Interface;
import org.vcj.agent.protocol.LinuxResources;
import org.vcj.agent.protocol.Mount;
import org.vcj.agent.protocol.Route;
import org.vcj.api.Cmd;
import org.vcj.api.ContainerConfig;
import org.vcj.api.DeviceInfo;
import org.vcj.api.LinuxCapabilities;

/** Maps api records to agent protocol messages. */
final class ProtoRequests {
    /** Linux address families on the wire (Kata convention). */
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;

    private ProtoRequests() {
    }

    /** The OCI spec of {@link ContainerConfig#CONFIG_JSON_KEY} travels in its own field, not among the annotations. */
    static CreateContainerRequest createContainer(ContainerConfig c) {
        CreateContainerRequest.Builder b = CreateContainerRequest.newBuilder()
                .setContainerId(c.id())
                .setRootfs(c.rootFs())
                .setReadonlyRootfs(c.readonlyRootfs())
                .setCmd(cmd(c.cmd()))
                .setResources(resources(c.resources()));
        c.annotations().forEach((k, v) -> {
            if (k.equals(ContainerConfig.CONFIG_JSON_KEY)) {
                b.setOciSpec(v);
            } else {
                b.putAnnotations(k, v);
            }
        });
        for (org.vcj.api.Mount m : c.mounts()) {
            b.addMounts(mount(m));
        }
        for (DeviceInfo d : c.deviceInfos()) {
            b.addDevices(device(d));
        }
        return b.build();
    }

    static org.vcj.agent.protocol.Cmd cmd(Cmd c) {
        org.vcj.agent.protocol.Cmd.Builder b = org.vcj.agent.protocol.Cmd.newBuilder()
                .addAllArgs(c.args())
                .setWorkDir(c.workDir())
                .setUser(c.user())
                .setPrimaryGroup(c.primaryGroup())
                .addAllSupplementaryGroups(c.supplementaryGroups())
                .setInteractive(c.interactive())
                .setTerminal(c.terminal())
                .setDetach(c.detach())
                .setNoNewPrivileges(c.noNewPrivileges())
                .setCapabilities(capabilities(c.capabilities()));
        for (org.vcj.api.EnvVar e : c.envs()) {
            b.addEnvs(EnvVar.newBuilder().setVar(e.var()).setValue(e.value()));
        }
        return b.build();
    }

    static Capabilities capabilities(LinuxCapabilities c) {
        return Capabilities.newBuilder()
                .addAllBounding(c.bounding())
                .addAllEffective(c.effective())
                .addAllInheritable(c.inheritable())
                .addAllPermitted(c.permitted())
                .addAllAmbient(c.ambient())
                .build();
    }

    static Mount mount(org.vcj.api.Mount m) {
        return Mount.newBuilder()
                .setSource(m.source())
                .setDestination(m.destination())
                .setType(m.type())
                .addAllOptions(m.options())
                .setReadOnly(m.readOnly())
                .build();
    }

    /**
     * The device node path is the same in the guest as given (the config holds guest paths); a hot-plugged disk is
     * named by its serial (its id), and the agent uses the guest's node and major:minor.
     */
    static Device device(DeviceInfo d) {
        return Device.newBuilder()
                .setBlockSerial(d.hotplugged() ? d.id() : "")
                .setContainerPath(d.containerPath())
                .setType(d.devType())
                .setMajor(d.major())
                .setMinor(d.minor())
                .setFileMode(d.fileMode())
                .setUid(d.uid())
                .setGid(d.gid())
                .setGuestPath(d.hostPath())
                .build();
    }

    /** Unset (null) fields stay unset: the agent leaves them unchanged. */
    static LinuxResources resources(org.vcj.api.LinuxResources r) {
        LinuxResources.Builder b = LinuxResources.newBuilder();
        if (r == null) {
            return b.build();
        }
        if (r.memoryLimit() != null) {
            b.setMemoryLimit(r.memoryLimit());
        }
        if (r.cpuShares() != null) {
            b.setCpuShares(r.cpuShares());
        }
        if (r.cpuQuota() != null) {
            b.setCpuQuota(r.cpuQuota());
        }
        if (r.cpuPeriod() != null) {
            b.setCpuPeriod(r.cpuPeriod());
        }
        if (r.cpusetCpus() != null) {
            b.setCpusetCpus(r.cpusetCpus());
        }
        if (r.pidsLimit() != null) {
            b.setPidsLimit(r.pidsLimit());
        }
        return b.build();
    }

    static Interface iface(org.vcj.api.Interface i) {
        Interface.Builder b = Interface.newBuilder()
                .setDevice(i.device())
                .setName(i.name())
                .setMtu(i.mtu())
                .setHwAddr(i.hwAddr())
                .setPciPath(i.pciPath())
                .setType(i.type())
                .setRawFlags(i.rawFlags());
        for (org.vcj.api.IPAddress a : i.ipAddresses()) {
            b.addIpAddresses(IPAddress.newBuilder()
                    .setFamily(a.family() == 6 ? AF_INET6 : AF_INET)
                    .setAddress(a.address())
                    .setMask(a.mask()));
        }
        return b.build();
    }

    static Route route(org.vcj.api.Route r) {
        return Route.newBuilder()
                .setDest(r.dest())
                .setGateway(r.gateway())
                .setDevice(r.device())
                .setSource(r.source())
                .setScope(r.scope())
                .build();
    }
}
