package org.vcj.shell.internal;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code env}: the effective settings (the options given to it over {@code conf/org.vcj.cfg} and the runtime
 * config file, over the defaults) and the paths in use (like {@code kata-runtime env}).
 */
final class EnvVerb implements Verb {
    /** The full usage text (also the Gogo command's description). */
    static final String USAGE = """
                vcj env [--hypervisor=TYPE] [--factory=NAME] [--rootfs=DIR] [--cpus=N] [--memory=MiB]
                  Prints the settings a 'run' with these options would use, each with where it came from (option,
                  setting: conf/org.vcj.cfg or the runtime config file, global option, or default), then the paths in use.
                  --hypervisor, --factory, --rootfs, --cpus, --memory  as for run""";

    /** Setting key, run option naming the same thing (or null), default. */
    private record Key(String key, String option, String fallback) { }

    private static final List<Key> KEYS = List.of(new Key("hypervisor", "hypervisor", "qemu"), new Key("factory", "factory", "direct"),
            new Key("storage", null, "fs"), new Key("root", null, null), new Key("rootfs", "rootfs", null),
            new Key("qemu.path", null, "qemu-system-x86_64 on PATH"), new Key("kernel", null, "<guest dir>/vmlinux"),
            new Key("image", null, "<guest dir>/guest.img"), new Key("vcpus", "cpus", "the hypervisor's (qemu: 2)"),
            new Key("memory", "memory", "the hypervisor's (qemu: 1024 MiB)"));

    @Override public String name() { return "env"; }

    @Override public String summary() { return "print the effective settings and the paths in use"; }

    @Override public String usage() { return USAGE; }

    @Override public List<Option> options() {
        return List.of(Option.value("hypervisor"), Option.value("factory"), Option.value("rootfs"), Option.value("cpus"),
                Option.value("memory"));
    }

    @Override
    public int execute(CommandLine cl, VerbContext ctx) {
        cl.requirePositionals();
        Tables settings = new Tables("SETTING", "VALUE", "FROM");
        for (Key k : KEYS) {
            String option = k.option() == null ? null : cl.get(k.option(), null);
            String set = ctx.properties().apply("vcj." + k.key());
            String global = Settings.LAUNCHER_RESOLVED.contains("vcj." + k.key()) ? "global option or setting" : "setting";
            if (option != null) settings.row(k.key(), option, "option --" + k.option());
            else if (set != null && !set.isBlank()) settings.row(k.key(), set, global);
            else settings.row(k.key(), k.fallback() == null ? "-" : k.fallback(), "default");
        }
        ctx.io().out().print(settings.render());
        ctx.io().out().println();
        Tables where = new Tables("PATH", "WHERE");
        paths(ctx).forEach((name, path) -> where.row(name, path));
        ctx.io().out().print(where.render());
        return 0;
    }

    private static Map<String, String> paths(VerbContext ctx) {
        String home = orDash(ctx.properties().apply("vcj.home"));
        String root = orDash(ctx.properties().apply("vcj.root"));
        Map<String, String> m = new LinkedHashMap<>();
        m.put("home", home);
        m.put("settings file", home.equals("-") ? "-" : Path.of(home, "conf", "org.vcj.cfg").toString());
        m.put("runtime config file", orDash(System.getProperty("vcj.conf")));
        m.put("plugins", home.equals("-") ? "-" : Path.of(home, "plugins").toString());
        m.put("state root", root);
        m.put("log", orDash(ctx.properties().apply(VerbDispatcher.LOG_FILE_PROPERTY)));
        m.put("templates", root.equals("-") ? "-" : Path.of(root, "factory", "template").toString());
        m.put("guest dir", orDash(ctx.properties().apply("vcj.guest.dir")));
        m.put("agent jar", orDash(ctx.properties().apply("vcj.agent.jar")));
        m.put("kvm probe answers", AcceleratorProbeFile.path().toString());
        m.put("java", System.getProperty("java.home") + " (" + Runtime.version() + ")");
        return m;
    }

    private static String orDash(String v) {
        return v == null || v.isBlank() ? "-" : v;
    }
}
