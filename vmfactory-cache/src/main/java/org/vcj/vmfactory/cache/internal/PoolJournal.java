package org.vcj.vmfactory.cache.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

import org.vcj.api.HypervisorException;

/**
 * The VMs a cache server started and has not yet stopped or handed over, written (and synced) before each VM is
 * started, so that a server killed at any moment (kill -9) leaves enough to find and remove them
 * ({@code <cache>/pool.journal}: {@code start ID HYPERVISOR}, then {@code end ID} once the VM is stopped and its
 * directory removed, or handed over). Thread-safe.
 */
final class PoolJournal {

    static final String FILE = "pool.journal";

    private final Path file;

    PoolJournal(Path cacheDir) {
        this.file = cacheDir.resolve(FILE);
    }

    /** Records that the VM {@code id} of {@code hypervisorType} is about to be started. */
    synchronized void started(String id, String hypervisorType) {
        append("start " + id + " " + hypervisorType);
    }

    /** Records that the VM {@code id} is no longer the cache's (stopped and removed, or handed over). */
    synchronized void ended(String id) {
        append("end " + id);
    }

    /** The VMs started and not ended, id to hypervisor type, in the order they were started. */
    synchronized Map<String, String> live() {
        Map<String, String> live = new LinkedHashMap<>();
        try {
            if (!Files.exists(file)) return live;
            String text = Files.readString(file, StandardCharsets.UTF_8);
            // a last line without its newline is a write cut short: its VM was never started
            for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
                String[] f = line.trim().split(" ");
                if (f.length == 3 && f[0].equals("start")) live.put(f[1], f[2]);
                if (f.length == 2 && f[0].equals("end")) live.remove(f[1]);
            }
        } catch (IOException e) {
            throw new HypervisorException(null, "VM cache", "cannot read " + file + ": " + e.getMessage(), e);
        }
        return live;
    }

    /** Removes the journal once nothing in it is live. */
    synchronized void deleteIfDone() {
        if (!live().isEmpty()) return;
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new HypervisorException(null, "VM cache", "cannot remove " + file + ": " + e.getMessage(), e);
        }
    }

    private void append(String line) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new HypervisorException(null, "VM cache", "cannot write " + file + ": " + e.getMessage()
                    + "; no VM is started without it", e);
        }
    }
}
