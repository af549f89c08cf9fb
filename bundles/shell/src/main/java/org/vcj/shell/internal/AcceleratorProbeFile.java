package org.vcj.shell.internal;

import java.nio.file.Path;

/**
 * Reads the QEMU plugin's remembered KVM probe answers ({@code /run/vcj-accel.probe} for root, else in
 * {@code XDG_RUNTIME_DIR} or the temp dir): one line {@code kvm|tcg KEY} per host kernel, QEMU and guest kernel
 * probed. Read only; the plugin writes it.
 */
final class AcceleratorProbeFile {

    private AcceleratorProbeFile() { }

    /** Where the QEMU plugin keeps its answers for this user. */
    static Path path() {
        boolean root = "root".equals(System.getProperty("user.name"));
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        String dir = root ? "/run" : runtime != null && !runtime.isEmpty() ? runtime : System.getProperty("java.io.tmpdir");
        return Path.of(dir, "vcj-accel.probe");
    }

    /**
     * The last answer ({@code kvm} or {@code tcg}) kept for this host kernel and {@code kernel}, or null when there
     * is none (not probed yet for them, or no file).
     */
    static String lastAnswer(Path file, String kernel) {
        String text = HostCommands.read(file);
        if (text == null) return null;
        String host = "host " + System.getProperty("os.version") + " ";
        String answer = null;
        for (String line : text.split("\n")) {
            int sp = line.indexOf(' ');
            if (sp < 0) continue;
            String a = line.substring(0, sp), key = line.substring(sp + 1);
            if ((a.equals("kvm") || a.equals("tcg")) && key.startsWith(host) && key.contains(" " + kernel + ":")) answer = a;
        }
        return answer;
    }
}
