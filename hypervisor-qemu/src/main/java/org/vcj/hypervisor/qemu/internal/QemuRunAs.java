package org.vcj.hypervisor.qemu.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;

import org.vcj.api.HypervisorException;
import org.vcj.api.InvalidConfigException;

/**
 * What a QEMU that drops to {@code qemu.user} ({@code -runas}) needs besides what it opens as root at start: its run
 * directory (where it makes the socket a template clone's state arrives on) and the socket it saves a template's
 * state to.
 */
final class QemuRunAs {

    private QemuRunAs() {
    }

    /** @throws InvalidConfigException when {@code user} is a name this host does not know */
    static void requireKnown(String user) {
        if (user.isEmpty() || user.contains(":")) return;
        try {
            java.nio.file.FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(user);
        } catch (IOException e) {
            throw new InvalidConfigException(QemuSettings.USER, user, "no such user on this host; create it or change the setting");
        }
    }

    /**
     * The uid and gid of {@code user} (a name, looked up with {@code getent passwd}, or {@code uid:gid}).
     *
     * @throws InvalidConfigException when the host does not know the name
     */
    static int[] ids(String user) {
        if (user.contains(":")) {
            String[] ids = user.split(":");
            return new int[] {Integer.parseInt(ids[0]), Integer.parseInt(ids[1])};
        }
        try {
            Process p = new ProcessBuilder("getent", "passwd", user).redirectErrorStream(true).start();
            String[] entry = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim().split(":");
            if (p.waitFor() == 0 && entry.length > 3 && entry[2].matches("[0-9]+") && entry[3].matches("[0-9]+")) {
                return new int[] {Integer.parseInt(entry[2]), Integer.parseInt(entry[3])};
            }
        } catch (IOException e) {
            // reported below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new InvalidConfigException(QemuSettings.USER, user, "no such user on this host (getent passwd); create it"
                + " (scripts/setup.sh makes vcj-qemu) or change the setting");
    }

    /**
     * A hot-plugged NIC's tap is opened by QEMU after it dropped to {@code user}: {@code /dev/net/tun} must be open to
     * everyone (0666, the distributions' default; the kernel still lets only root make a tap, and only its owner attach
     * to one).
     *
     * @throws HypervisorException saying how to fix the host when it is not (nothing was changed)
     */
    static void requireTun(String vmId, String op, String user) {
        if (user.isEmpty()) return;
        Path tun = Path.of("/dev/net/tun");
        int mode;
        try {
            mode = (Integer) Files.getAttribute(tun, "unix:mode");
        } catch (IOException | RuntimeException e) {
            throw new HypervisorException(vmId, op, "QEMU runs as " + user + " and needs " + tun + " for a hot-plugged NIC: "
                    + e.getMessage(), e);
        }
        if ((mode & 06) != 06) {
            throw new HypervisorException(vmId, op, "QEMU runs as " + user + " and opens " + tun + " for a hot-plugged NIC, but "
                    + tun + " is mode " + Integer.toOctalString(mode & 0777) + "; make it 0666 as distributions do"
                    + " (scripts/setup.sh, or chmod 0666 " + tun + "), or leave " + QemuSettings.USER + " empty", null);
        }
    }

    /** Gives {@code path} to {@code user} (a name, or {@code uid:gid}); nothing when {@code user} is empty. */
    static void grant(String vmId, String user, Path dir) {
        if (user.isEmpty()) return;
        try {
            if (user.contains(":")) {
                String[] ids = user.split(":");
                Files.setAttribute(dir, "unix:uid", Integer.parseInt(ids[0]));
                Files.setAttribute(dir, "unix:gid", Integer.parseInt(ids[1]));
            } else {
                UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
                Files.setOwner(dir, users.lookupPrincipalByName(user));
            }
        } catch (UserPrincipalNotFoundException e) {
            throw new InvalidConfigException(QemuSettings.USER, user, "no such user on this host; create it or change the setting");
        } catch (IOException e) {
            throw new HypervisorException(vmId, "startVM", "cannot give " + dir + " to QEMU's user " + user + ": " + e.getMessage(), e);
        }
    }
}
