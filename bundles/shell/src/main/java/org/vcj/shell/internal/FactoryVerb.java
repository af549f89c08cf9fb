package org.vcj.shell.internal;

import java.util.List;

import org.vcj.api.HypervisorType;
import org.vcj.api.Resources;
import org.vcj.api.SandboxConfig;
import org.vcj.api.factory.FactoryStatus;

/**
 * {@code factory init|status|destroy|serve}: VM factory management (kata-runtime {@code factory}). init and serve
 * describe the VMs with the same options and settings as {@code run}, so a template or cache made with them serves
 * later {@code run --factory=NAME} calls.
 */
final class FactoryVerb implements Verb {
    /** The full usage text (also the Gogo commands' description). */
    static final String USAGE = """
                vcj factory init|status|destroy|serve [OPTIONS]
                  init     prepares the VM factory for sandboxes like 'run' would make (makes the template)
                  status   prints what the factory keeps: templates, cache server, cached VMs
                  destroy  removes it (templates; a cache server quits and stops the VMs nobody took)
                  serve    runs a VM cache server in the foreground until destroy (or SIGTERM, Ctrl-C), then
                           stops the VMs nobody took; after a kill -9, status lists its VMs as orphaned and
                           destroy, cleanup or the next serve removes them
                  --factory=NAME     VM factory: template, cache or any installed (default: vcj.factory, else
                                     template; serve: cache)
                  --hypervisor=TYPE  hypervisor of the VMs (default: vcj.hypervisor, else qemu)
                  --cpus=N           vCPUs of the VMs (default: vcj.vcpus, else the hypervisor's)
                  --memory=MiB       memory of the VMs (default: vcj.memory, else the hypervisor's)
                  --size=N           serve: VMs the cache keeps ready (default 2)
                  --from=NAME        serve: the factory that makes the cached VMs: direct or template (default direct)""";

    @Override public String name() { return "factory"; }

    @Override public String summary() { return "manage VM factories (templates, VM cache)"; }

    @Override public String usage() { return USAGE; }

    @Override public List<Option> options() {
        return List.of(Option.value("factory"), Option.value("hypervisor"), Option.value("cpus"), Option.value("memory"),
                Option.value("size"), Option.value("from"));
    }

    @Override
    public int execute(CommandLine cl, VerbContext ctx) {
        String action = cl.requirePositionals("ACTION").get(0);
        String configured = orNull(ctx.properties().apply("vcj.factory"));
        switch (action) {
            case "init" -> print(ctx, ctx.vc().initFactory(factory(cl, configured, "template"), vms(cl, ctx)));
            case "status" -> print(ctx, ctx.vc().factoryStatus(factory(cl, configured, "template")));
            case "destroy" -> {
                List<FactoryStatus> removed = ctx.vc().destroyFactory(factory(cl, configured, "template"));
                ctx.io().out().println(removed.isEmpty() ? "nothing to remove" : "removed " + removed.size() + " item(s)");
            }
            case "serve" -> {
                int size = cl.intValue("size", 2);
                ctx.vc().serveFactory(factory(cl, null, "cache"), cl.get("from", "direct"), size, vms(cl, ctx));
                ctx.io().out().println("VM cache stopped");
            }
            default -> throw new UsageException("unknown action '" + action + "': use init, status, destroy or serve");
        }
        return 0;
    }

    private static String factory(CommandLine cl, String configured, String fallback) {
        String f = cl.get("factory", configured);
        return f == null || f.isBlank() || f.equals("direct") && !cl.has("factory") ? fallback : f.trim();
    }

    /** A sandbox configuration without containers that describes the factory's VMs (QEMU's when neither the option
     *  nor the setting names a hypervisor, as for {@code run}). */
    private static SandboxConfig vms(CommandLine cl, VerbContext ctx) {
        String hv = cl.get("hypervisor", orNull(ctx.properties().apply(RunVerb.HYPERVISOR_PROPERTY)));
        return SandboxConfig.builder("factory").hypervisorType(hv == null ? HypervisorType.QEMU : new HypervisorType(hv))
                .vmConfig(new Resources(cl.intValue("cpus", RunVerb.intSetting(ctx, "vcj.vcpus")),
                        cl.intValue("memory", RunVerb.intSetting(ctx, "vcj.memory")))).build();
    }

    private static void print(VerbContext ctx, List<FactoryStatus> items) {
        Tables t = new Tables("FACTORY", "NAME", "STATE", "SIZE", "CREATED", "VMS", "DETAIL");
        for (FactoryStatus s : items) {
            t.row(s.factory(), s.name(), s.state(), Formats.bytes(s.sizeBytes()), Formats.time(s.created()), s.vmsRunning(), s.detail());
        }
        ctx.io().out().print(t.render());
    }

    private static String orNull(String v) {
        return v == null || v.isBlank() ? null : v.trim();
    }
}
