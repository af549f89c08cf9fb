package org.vcj.hypervisor.qemu.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.vcj.api.HypervisorException;

/**
 * The host network objects a VM's run directory owns, written (and synced) before each is made, so that a runtime
 * killed at any moment leaves enough to remove them ({@code network.journal}: {@code netns PATH created|given},
 * {@code tap NAME HOSTIF|-}, {@code untap NAME}). Read by stop and by cleanup of a VM that was never recorded.
 */
final class NetworkJournal {

    static final String FILE = "network.journal";

    private final String vmId;
    private final Path file;

    NetworkJournal(String vmId, Path runDir) {
        this.vmId = vmId;
        this.file = runDir.resolve(FILE);
    }

    void netns(String path, boolean created) {
        append("netns " + path + " " + (created ? "created" : "given"));
    }

    void tap(TcRedirect r) {
        append("tap " + r.tap() + " " + (r.hostIf() == null ? "-" : r.hostIf()));
    }

    void untap(String tap) {
        append("untap " + tap);
    }

    /** The namespace path, or null when none was recorded. */
    String netnsPath() {
        String[] f = last("netns");
        return f == null ? null : f[1];
    }

    /** Whether vcj made the namespace (and so removes it). */
    boolean netnsCreated() {
        String[] f = last("netns");
        return f != null && f[2].equals("created");
    }

    /** The taps made and not removed since, in order. */
    List<TcRedirect> taps() {
        Map<String, TcRedirect> live = new LinkedHashMap<>();
        for (String[] f : lines()) {
            if (f[0].equals("tap") && f.length == 3) live.put(f[1], new TcRedirect(f[1], f[2].equals("-") ? null : f[2]));
            if (f[0].equals("untap") && f.length == 2) live.remove(f[1]);
        }
        return new ArrayList<>(live.values());
    }

    boolean exists() {
        return Files.isRegularFile(file);
    }

    void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new HypervisorException(vmId, "network", "cannot remove " + file + ": " + e.getMessage(), e);
        }
    }

    private String[] last(String kind) {
        String[] found = null;
        for (String[] f : lines()) if (f[0].equals(kind) && f.length == 3) found = f;
        return found;
    }

    private List<String[]> lines() {
        List<String[]> out = new ArrayList<>();
        try {
            if (!Files.exists(file)) return out;
            for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) if (!l.isBlank()) out.add(l.trim().split(" "));
        } catch (IOException e) {
            throw new HypervisorException(vmId, "network", "cannot read " + file + ": " + e.getMessage(), e);
        }
        return out;
    }

    private void append(String line) {
        try {
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new HypervisorException(vmId, "network", "cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
