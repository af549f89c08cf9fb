package org.vcj.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code bin/containerd-shim-vcj-v2}, the binary containerd runs for runtime {@code io.containerd.vcj.v2}. Plain Java:
 * neither action boots Felix unless it must.
 * <ul>
 * <li>{@code start}: prints the address, {@code unix://SOCKET}, of the one vcj shim service of the task's state root
 * ({@link ShimSocketNaming}), starting that service first when it does not run ({@link ShimDaemon}). A container whose
 * CRI annotations name a pod sandbox gets the address its sandbox got. The runtime options containerd gives on stdin
 * (runtimeoptions {@code ConfigPath}) name a vcj config file whose keys override {@code conf/org.vcj.cfg} for this
 * task (its root, hypervisor, factory, vCPUs, memory); the choice is kept in the bundle ({@value #CONFIG_FILE}), where
 * the service and a later {@code delete} read it.</li>
 * <li>{@code delete}: removes what a dead service left of the task (through the launcher and the shim bundle) and
 * prints a DeleteResponse.</li>
 * </ul>
 */
public final class ContainerdShimLauncher {
    /** In the bundle: the vcj config file the task was started with (empty: the installation's settings). */
    static final String CONFIG_FILE = "vcj-runtime-config";

    private ContainerdShimLauncher() { }

    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    /** A start or delete that cannot be done; its message says why. */
    static final class Failure extends Exception {
        Failure(String message) {
            super(message);
        }
    }

    static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        String home = System.getProperty("vcj.home");
        if (home == null) {
            err.println("containerd-shim-vcj-v2: the vcj.home system property is not set; run it through bin/containerd-shim-vcj-v2");
            return 2;
        }
        ContainerdFlags flags;
        try {
            flags = ContainerdFlags.parse(args);
        } catch (ContainerdFlags.Malformed e) {
            err.println("containerd-shim-vcj-v2: " + e.getMessage());
            return 2;
        }
        try {
            if ("start".equals(flags.action())) return start(Path.of(home), flags, in, out);
            if ("delete".equals(flags.action())) return delete(flags, in, out, err);
        } catch (Failure e) {
            err.println("containerd-shim-vcj-v2 " + flags.action() + " " + flags.id() + ": " + e.getMessage());
            return 1;
        }
        err.println("usage: containerd-shim-vcj-v2 -namespace NS -id ID -address ADDR [-publish-binary BIN] [-bundle DIR] start|delete");
        return 2;
    }

    private static int start(Path home, ContainerdFlags flags, InputStream in, PrintStream out) throws Failure {
        if (flags.id().isEmpty()) throw new Failure("-id is required");
        Path bundle = flags.bundle();
        String configPath = RuntimeOptions.configPath(in);
        write(bundle.resolve(CONFIG_FILE), configPath == null ? "" : configPath);
        String sandbox;
        try {
            sandbox = BundleSpec.joinedSandbox(bundle);
        } catch (IOException e) {
            throw new Failure("cannot read the OCI spec " + bundle.resolve("config.json") + ": " + e.getMessage());
        }
        String address;
        if (sandbox != null) {
            Path sibling = bundle.getParent().resolve(sandbox).resolve("address");
            if (!Files.isRegularFile(sibling)) {
                throw new Failure("container " + flags.id() + " joins pod sandbox " + sandbox + ", but that sandbox has no shim ("
                        + sibling + " is missing); create the sandbox container first");
            }
            address = read(sibling).trim();
        } else {
            GlobalOptions options = options(home, configPath);
            Path socket = ShimSocketNaming.socket(options.root());
            ShimDaemon.ensure(home, options, flags, socket);
            address = "unix://" + socket;
        }
        write(bundle.resolve("address"), address);
        out.print(address);
        out.flush();
        return 0;
    }

    /** The state root and storage the settings choose (as bin/vcj would): the service of that root serves the task. */
    private static GlobalOptions options(Path home, String configPath) throws Failure {
        try {
            Map<String, String> settings = VcjSettings.load(home.resolve("conf"), configPath);
            return GlobalOptions.parse(new String[0], System.getenv(), "root".equals(System.getProperty("user.name")), settings);
        } catch (GlobalOptions.UsageError e) {
            throw new Failure(e.getMessage());
        }
    }

    private static int delete(ContainerdFlags flags, InputStream in, PrintStream out, PrintStream err) throws Failure {
        if (flags.id().isEmpty()) throw new Failure("-id is required");
        Path kept = flags.bundle().resolve(CONFIG_FILE);
        String config = Files.isRegularFile(kept) ? read(kept).trim() : "";
        if (!config.isEmpty() && Files.isRegularFile(Path.of(config))) System.setProperty(VcjLauncher.CONF_PROPERTY, config);
        List<String> args = new ArrayList<>(List.of(VcjLauncher.SHIM_VERB, "delete"));
        args.addAll(flags.asArgs());
        return VcjLauncher.run(args.toArray(String[]::new), in, out, err);
    }

    private static String read(Path p) throws Failure {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Failure("cannot read " + p + ": " + e.getMessage());
        }
    }

    private static void write(Path p, String text) throws Failure {
        try {
            Path tmp = p.resolveSibling("." + p.getFileName() + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new Failure("cannot write " + p + ": " + e.getMessage());
        }
    }
}
