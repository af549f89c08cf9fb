package org.vcj.shell.internal;

import java.util.List;
import org.vcj.api.Device;
import org.vcj.api.DeviceInfo;

/**
 * {@code device add}: hot-plugs a host file or block device into a running sandbox's VM (Kata's sandbox AddDevice).
 * A container that needs a disk gets it with {@code run --device}, plugged at its creation.
 */
final class DeviceVerb implements Verb {
    /** The full usage text (also the Gogo command's description). */
    static final String USAGE = """
                vcj device add ID --host-path=PATH [--container-path=PATH]
                  Hot-plugs the host file or block device PATH into the VM of sandbox ID as a virtio disk (it stays
                  while the VM runs) and prints its id, which is also the disk's serial in the guest
                  (/sys/block/vdX/serial). Containers get disks at creation: vcj run --device=HOST:CTR.
                  --host-path=PATH       the host file or block device
                  --container-path=PATH  the path recorded for it (default: the host path)""";

    @Override public String name() { return "device"; }

    @Override public String summary() { return "hot-plug a disk into a sandbox's VM"; }

    @Override public String usage() { return USAGE; }

    @Override public List<Option> options() {
        return List.of(Option.value("host-path"), Option.value("container-path"));
    }

    @Override public int fixedPositionals() { return 2; }

    @Override
    public int execute(CommandLine cl, VerbContext ctx) {
        List<String> p = cl.requirePositionals("ACTION (add)", "ID");
        if (!p.get(0).equals("add")) throw new UsageException("unknown action '" + p.get(0) + "': the action is add");
        String host = cl.get("host-path", null);
        if (host == null || host.isEmpty()) throw new UsageException("give --host-path=PATH");
        host = new java.io.File(host).getAbsolutePath();
        DeviceInfo info = new DeviceInfo(host, cl.get("container-path", host), "b", 0, 0, 0, 0, 0, false, null);
        Device d = ctx.vc().fetchSandbox(p.get(1)).addDevice(info);
        ctx.io().out().println(d.id());
        return 0;
    }
}
