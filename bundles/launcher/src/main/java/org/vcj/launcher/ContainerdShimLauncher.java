package org.vcj.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bin/containerd-shim-vcj-v2}, the binary containerd runs for runtime {@code io.containerd.vcj.v2}:
 * <ul>
 * <li>{@code start}: starts the long-running shim (a launcher JVM running {@code containerd-shim serve}, detached in
 * its own session) and prints its address, {@code unix://SOCKET}, as the only thing on stdout; a container whose CRI
 * annotations name a pod sandbox gets the address of that sandbox's shim instead. The runtime options containerd
 * gives on stdin (runtimeoptions {@code ConfigPath}) name a vcj config file whose keys override
 * {@code conf/org.vcj.cfg}; the choice is kept in the bundle ({@value #CONFIG_FILE}) for the later calls.</li>
 * <li>{@code delete}: removes what a dead shim left of the task (through the launcher and the shim bundle) and
 * prints a DeleteResponse.</li>
 * </ul>
 */
public final class ContainerdShimLauncher {
    /** In the bundle: the vcj config file the task was started with (empty: the installation's settings). */
    static final String CONFIG_FILE = "vcj-runtime-config";
    /** In the bundle: the long-running shim's stdout and stderr. */
    static final String OUTPUT_FILE = "vcj-shim.log";
    private static final long START_TIMEOUT_MILLIS = 90_000;
    private static final Pattern SANDBOX_ID = Pattern.compile("\"io\\.kubernetes\\.cri\\.sandbox-id\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern CONTAINER_TYPE = Pattern.compile("\"io\\.kubernetes\\.cri\\.container-type\"\\s*:\\s*\"([^\"]+)\"");

    private ContainerdShimLauncher() { }

    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        Map<String, String> flags = new LinkedHashMap<>();
        String action = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-debug") || a.equals("--debug")) continue;
            if (a.startsWith("-") && i + 1 < args.length) flags.put(a.replaceFirst("^-+", ""), args[++i]);
            else if (!a.startsWith("-")) action = a;
        }
        String home = System.getProperty("vcj.home");
        if (home == null) {
            err.println("containerd-shim-vcj-v2: the vcj.home system property is not set; run it through bin/containerd-shim-vcj-v2");
            return 2;
        }
        Path bundle = Path.of(flags.getOrDefault("bundle", System.getProperty("user.dir"))).toAbsolutePath();
        try {
            if ("start".equals(action)) return start(Path.of(home), bundle, flags, in, out, err);
            if ("delete".equals(action)) return delete(bundle, flags, in, out, err);
        } catch (Failure e) {
            err.println("containerd-shim-vcj-v2 " + action + ": " + e.getMessage());
            return 1;
        }
        err.println("usage: containerd-shim-vcj-v2 -namespace NS -id ID -address ADDR [-publish-binary BIN] [-bundle DIR] start|delete");
        return 2;
    }

    private static final class Failure extends Exception {
        Failure(String message) {
            super(message);
        }
    }

    // --- start ---

    private static int start(Path home, Path bundle, Map<String, String> flags, InputStream in, PrintStream out, PrintStream err)
            throws Failure {
        String id = require(flags, "id");
        String configPath = configPath(readOptions(in));
        write(bundle.resolve(CONFIG_FILE), configPath == null ? "" : configPath);
        String spec = readSpec(bundle);
        String sandbox = joinedSandbox(spec);
        if (sandbox != null) {
            Path sibling = bundle.getParent().resolve(sandbox).resolve("address");
            if (Files.isRegularFile(sibling)) {
                String address = read(sibling).trim();
                write(bundle.resolve("address"), address);
                out.print(address);
                out.flush();
                return 0;
            }
            throw new Failure("container " + id + " joins pod sandbox " + sandbox + ", but that sandbox has no shim ("
                    + sibling + " is missing); create the sandbox container first");
        }
        Path root = root(home, configPath);
        Path socket = socket(root, flags.getOrDefault("namespace", "default"), id, flags.getOrDefault("address", ""));
        Process daemon = spawn(home, bundle, configPath, flags, socket);
        awaitSocket(daemon, socket, bundle);
        String address = "unix://" + socket;
        write(bundle.resolve("address"), address);
        out.print(address);
        out.flush();
        return 0;
    }

    private static Process spawn(Path home, Path bundle, String configPath, Map<String, String> flags, Path socket) throws Failure {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) cmd.add("/usr/bin/setsid");
        cmd.addAll(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "-Dio.grpc.netty.shaded.io.netty.jfr.enabled=false", "-Dvcj.home=" + home));
        if (configPath != null) cmd.add("-D" + VcjLauncher.CONF_PROPERTY + "=" + configPath);
        cmd.addAll(List.of("-cp", home.resolve("lib") + "/*", VcjLauncher.class.getName(), VcjLauncher.SHIM_VERB, "serve"));
        for (Map.Entry<String, String> f : flags.entrySet()) {
            cmd.add("-" + f.getKey());
            cmd.add(f.getValue());
        }
        cmd.addAll(List.of("-bundle", bundle.toString(), "-socket", socket.toString()));
        try {
            return new ProcessBuilder(cmd).directory(bundle.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(bundle.resolve(OUTPUT_FILE).toFile()))
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new Failure("cannot start the shim: " + e.getMessage());
        }
    }

    /** Waits (bounded) until the shim accepts connections; fails when it exits first. */
    private static void awaitSocket(Process daemon, Path socket, Path bundle) throws Failure {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            if (Files.exists(socket)) {
                try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    c.connect(UnixDomainSocketAddress.of(socket));
                    return;
                } catch (IOException notYet) {
                    // bound but not yet accepting
                }
            }
            if (!daemon.isAlive()) {
                throw new Failure("the shim exited with status " + daemon.exitValue() + " before serving: " + tail(bundle.resolve(OUTPUT_FILE)));
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Failure("interrupted");
            }
        }
        daemon.destroyForcibly();
        throw new Failure("the shim did not serve on " + socket + " within " + START_TIMEOUT_MILLIS / 1000 + " s; see " + bundle.resolve(OUTPUT_FILE));
    }

    /** The state root the settings choose (as bin/vcj would), where the shim's socket lives. */
    private static Path root(Path home, String configPath) throws Failure {
        try {
            Map<String, String> settings = VcjSettings.load(home.resolve("conf"), configPath);
            return GlobalOptions.parse(new String[0], System.getenv(), "root".equals(System.getProperty("user.name")), settings).root();
        } catch (GlobalOptions.UsageError e) {
            throw new Failure(e.getMessage());
        }
    }

    /** {@code ROOT/shim/HASH.sock}, or under /tmp when that path is too long for a Unix socket. */
    static Path socket(Path root, String namespace, String id, String address) {
        String hash;
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest((namespace + "/" + id + "@" + address).getBytes(StandardCharsets.UTF_8));
            hash = HexFormat.of().formatHex(d, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Path p = root.resolve("shim").resolve(hash + ".sock");
        return p.toString().length() < 100 ? p : Path.of("/tmp/vcj-shim", hash + ".sock");
    }

    // --- delete ---

    private static int delete(Path bundle, Map<String, String> flags, InputStream in, PrintStream out, PrintStream err) throws Failure {
        require(flags, "id");
        Path kept = bundle.resolve(CONFIG_FILE);
        String config = Files.isRegularFile(kept) ? read(kept).trim() : "";
        if (!config.isEmpty() && Files.isRegularFile(Path.of(config))) System.setProperty(VcjLauncher.CONF_PROPERTY, config);
        List<String> args = new ArrayList<>(List.of(VcjLauncher.SHIM_VERB, "delete"));
        for (Map.Entry<String, String> f : flags.entrySet()) {
            args.add("-" + f.getKey());
            args.add(f.getValue());
        }
        if (!flags.containsKey("bundle")) args.addAll(List.of("-bundle", bundle.toString()));
        return VcjLauncher.run(args.toArray(String[]::new), in, out, err);
    }

    // --- helpers ---

    /** The container joins a pod sandbox: its CRI annotations say container-type=container and name the sandbox. */
    static String joinedSandbox(String spec) {
        Matcher type = CONTAINER_TYPE.matcher(spec);
        Matcher sandbox = SANDBOX_ID.matcher(spec);
        if (type.find() && type.group(1).equals("container") && sandbox.find()) return sandbox.group(1);
        return null;
    }

    private static String readSpec(Path bundle) throws Failure {
        Path spec = bundle.resolve("config.json");
        return Files.isRegularFile(spec) ? read(spec) : "";
    }

    private static byte[] readOptions(InputStream in) {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            in.transferTo(b);
            return b.toByteArray();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /**
     * The config path of containerd's runtime options: an Any (type_url = 1, value = 2) holding runtimeoptions
     * Options (config_path = 2); null when there is none.
     */
    static String configPath(byte[] any) {
        Map<Integer, byte[]> outer = ProtoFields.strings(any);
        byte[] typeUrl = outer.get(1);
        byte[] value = outer.get(2);
        if (typeUrl == null || value == null || !new String(typeUrl, StandardCharsets.UTF_8).contains("runtimeoptions")) return null;
        byte[] path = ProtoFields.strings(value).get(2);
        return path == null || path.length == 0 ? null : new String(path, StandardCharsets.UTF_8);
    }

    private static String require(Map<String, String> flags, String name) throws Failure {
        String v = flags.get(name);
        if (v == null || v.isEmpty()) throw new Failure("-" + name + " is required");
        return v;
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
            Files.move(tmp, p, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new Failure("cannot write " + p + ": " + e.getMessage());
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }
}
