package org.vcj.shell.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.vcj.api.AlreadyExistsException;
import org.vcj.api.InvalidConfigException;
import org.vcj.api.Cmd;
import org.vcj.api.ContainerConfig;
import org.vcj.api.HypervisorType;
import org.vcj.api.NotFoundException;
import org.vcj.api.Resources;
import org.vcj.api.SandboxConfig;
import org.vcj.api.VCSandbox;

/**
 * {@code run}: a new sandbox with one container whose id is the sandbox id. In the foreground it relays
 * stdio, returns the container's exit code and deletes the sandbox (also on Ctrl-C); with
 * {@code --detach} it prints the sandbox id and leaves it running. When the container exited with 0 but
 * the sandbox could not be removed, the exit status is 1 (the reason is on stderr).
 */
final class RunVerb implements Verb {
    /** The full usage text (also the Gogo command's description). */
    static final String USAGE = """
                vcj run [OPTIONS] [--] CMD [ARGS...]
                  Creates a sandbox with one container (container id = sandbox id) running CMD.
                  In the foreground it relays stdin/stdout/stderr, exits with CMD's exit code and
                  deletes the sandbox afterwards (also on Ctrl-C).
                  --hypervisor=TYPE  hypervisor plugin: qemu, mock (no VM, no isolation) or any installed (default: vcj.hypervisor or qemu)
                  --factory=NAME     take the VM from this VM factory (vcj.vmfactory)
                  --rootfs=DIR       container root filesystem (default: vcj.rootfs)
                  --id=ID            sandbox id (default: vcj-<random>)
                  -d, --detach       print the sandbox id and leave it running
                  -t, --tty          allocate a terminal for CMD
                  --cpus=N           vCPUs of the VM (default: the hypervisor's)
                  --memory=MiB       memory of the VM (default: the hypervisor's)
                  --device=HOST[:CTR] a block device for the container (repeatable): a host file or block device,
                                     at CTR in the container (default: the host path); on a VM it is hot-plugged as a
                                     virtio disk and has the guest's major:minor, written data reaches the host file
                  --volume=HOST:CTR  a host directory as a sandbox volume (its own 9p export in a VM, tag volN),
                                     bind-mounted at CTR in the container (repeatable)
                  -e, --env=K=V      environment variable (repeatable; PATH is set by default)
                  --workdir=DIR      working directory inside the container (default: /)
                  --netns=PATH       network namespace of the sandbox (e.g. /var/run/netns/NAME): its interfaces
                                     are connected to the VM (default: the hypervisor's own namespace)""";

    /** Annotation holding the creation time that {@code list} prints. */
    static final String CREATED_ANNOTATION = "org.vcj.shell.created";
    /** Framework property with the default container rootfs. */
    static final String ROOTFS_PROPERTY = "vcj.rootfs";
    /** Framework property with the default hypervisor type. */
    static final String HYPERVISOR_PROPERTY = "vcj.hypervisor";

    @Override public String name() { return "run"; }

    @Override public String summary() { return "run a command in a new sandbox"; }

    @Override public String usage() { return USAGE; }

    @Override public List<Option> options() {
        return List.of(Option.value("hypervisor"), Option.value("factory"), Option.value("rootfs"), Option.value("id"),
                Option.flag("detach", 'd'), Option.flag("tty", 't'), Option.value("cpus"), Option.value("memory"),
                Option.repeated("env", 'e'), Option.value("workdir"), Option.repeated("device", (char) 0),
                Option.repeated("volume", (char) 0), Option.value("netns"));
    }

    @Override public int fixedPositionals() { return 0; }

    @Override
    public int execute(CommandLine cl, VerbContext ctx) throws InterruptedException {
        SandboxConfig config = config(cl, ctx);
        String id = config.id();
        if (cl.has("detach")) {
            start(config, cl.get("factory", ctx.properties().apply("vcj.factory")), ctx);
            ctx.io().out().println(id);
            return 0;
        }
        if (cl.has("id")) requireUnused(ctx, id);
        SandboxCleaner cleaner = new SandboxCleaner(ctx.vc(), id);
        try (ShutdownHooks.Registration hook = ctx.hooks().register("vcj-run-cleanup-" + id, () -> cleaner.remove(null))) {
            int code;
            try {
                VCSandbox sandbox = start(config, cl.get("factory", ctx.properties().apply("vcj.factory")), ctx);
                code = ProcessAttach.attach(sandbox, id, id, ctx.io(), true, cl.has("tty") ? ctx.hooks() : null);
            } catch (AlreadyExistsException | InvalidConfigException e) {
                cleaner.disown();   // not ours, or refused before anything was made: nothing to remove
                throw e;
            } catch (RuntimeException | InterruptedException e) {
                cleaner.remove(ctx.io().err());
                throw e;
            }
            boolean removed = cleaner.remove(ctx.io().err());
            return removed || code != 0 ? code : 1;
        }
    }

    /** Fails before a shutdown hook that deletes {@code id} is registered, when another sandbox has that id. */
    private static void requireUnused(VerbContext ctx, String id) {
        try {
            ctx.vc().statusSandbox(id);
        } catch (NotFoundException free) {
            return;
        }
        throw new AlreadyExistsException("sandbox", id);
    }

    private static VCSandbox start(SandboxConfig config, String factory, VerbContext ctx) {
        try {
            if (factory == null) return ctx.vc().runSandbox(config);
            VCSandbox s = ctx.vc().createSandbox(config, factory);
            s.start();
            return s;
        } catch (InvalidConfigException e) {
            // the core names the api's field; the user gave the option
            if (!"ContainerConfig.RootFs".equals(e.field())) throw e;
            String reason = e.getMessage().substring(Math.min(e.getMessage().length(), e.getMessage().indexOf("': ") + 3));
            throw new InvalidConfigException("--rootfs", e.value(), reason);
        }
    }

    /** The sandbox config the command line describes. */
    static SandboxConfig config(CommandLine cl, VerbContext ctx) {
        List<String> command = cl.command();
        if (command.isEmpty()) throw new UsageException("missing CMD");
        String rootfs = cl.get("rootfs", ctx.properties().apply(ROOTFS_PROPERTY));
        if (rootfs == null || rootfs.isEmpty()) {
            throw new UsageException("no container rootfs: give --rootfs=DIR or set the vcj.rootfs property");
        }
        String hv = cl.get("hypervisor", orDefault(ctx.properties().apply(HYPERVISOR_PROPERTY), HypervisorType.QEMU.name()));
        String id = cl.get("id", "vcj-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        boolean detach = cl.has("detach");
        Cmd.Builder cmd = Cmd.builder(command).envs(Containers.env(cl.all("env")))
                .workDir(cl.get("workdir", "/")).interactive(!detach).detach(detach);
        if (cl.has("tty")) cmd.console("tty");
        ContainerConfig container = ContainerConfig.builder(id).rootFs(new java.io.File(rootfs).getAbsolutePath())
                .cmd(cmd.build()).deviceInfos(devices(cl.all("device"))).mounts(volumeMounts(cl.all("volume"))).build();
        return SandboxConfig.builder(id).hypervisorType(new HypervisorType(hv)).volumes(volumes(cl.all("volume")))
                .vmConfig(new Resources(cl.intValue("cpus", intSetting(ctx, "vcj.vcpus")), cl.intValue("memory", intSetting(ctx, "vcj.memory"))))
                .containers(List.of(container))
                .networkConfig(new org.vcj.api.NetworkConfig(cl.get("netns", ""), null))
                .annotations(Map.of(CREATED_ANNOTATION, Instant.now().toString())).build();
    }

    /** {@code --device=HOST[:CONTAINER]}: block devices (the host path's absolute form). */
    static List<org.vcj.api.DeviceInfo> devices(List<String> specs) {
        List<org.vcj.api.DeviceInfo> out = new java.util.ArrayList<>();
        for (String spec : specs) {
            String[] f = spec.split(":", 2);
            if (f[0].isEmpty()) throw new UsageException("--device=" + spec + ": give HOST[:CONTAINER]");
            String host = new java.io.File(f[0]).getAbsolutePath();
            out.add(new org.vcj.api.DeviceInfo(host, f.length > 1 ? f[1] : host, "b", 0, 0, 0, 0, 0, false, null));
        }
        return out;
    }

    /** {@code --volume=HOST:CONTAINER}: the sandbox volumes, tagged vol0, vol1 ... */
    static List<org.vcj.api.Volume> volumes(List<String> specs) {
        List<org.vcj.api.Volume> out = new java.util.ArrayList<>();
        for (String spec : specs) out.add(new org.vcj.api.Volume("vol" + out.size(), volumeSpec(spec)[0]));
        return out;
    }

    /** The container bind mounts of {@code --volume=HOST:CONTAINER}. */
    static List<org.vcj.api.Mount> volumeMounts(List<String> specs) {
        List<org.vcj.api.Mount> out = new java.util.ArrayList<>();
        for (String spec : specs) {
            String[] f = volumeSpec(spec);
            out.add(new org.vcj.api.Mount(f[0], f[1], "bind", List.of("rbind"), f[0], false));
        }
        return out;
    }

    private static String[] volumeSpec(String spec) {
        String[] f = spec.split(":", 2);
        if (f.length < 2 || f[0].isEmpty() || !f[1].startsWith("/")) {
            throw new UsageException("--volume=" + spec + ": give HOST_DIR:/CONTAINER_DIR");
        }
        return new String[] {new java.io.File(f[0]).getAbsolutePath(), f[1]};
    }

    /** A whole-number default (vcpus, memory) from the settings; 0 (the plugin's default) when unset. */
    static int intSetting(VerbContext ctx, String key) {
        String v = ctx.properties().apply(key);
        return v == null || v.isBlank() ? 0 : Integer.parseInt(v.trim());
    }

    private static String orDefault(String v, String def) {
        return v == null || v.isBlank() ? def : v.trim();
    }
}
