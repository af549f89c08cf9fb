package org.vcj.agent.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import org.vcj.agent.protocol.Cmd;
import org.vcj.agent.protocol.CommandError;
import org.vcj.agent.protocol.EnvVar;

/**
 * Tells whether a process's command exists and is executable in a container's root filesystem, looked up the way
 * the OCI runtime and shells do: a name without {@code /} on the process's {@code PATH} (the agent's default PATH
 * when the process sets none), a path relative to the working directory otherwise. Symbolic links are followed
 * inside the rootfs, as in the container. The agent asks only after the OCI runtime failed to start a process,
 * to say why in terms a user can act on. Stateless.
 */
final class CommandResolver {
    /** The PATH a process gets when its environment sets none (the OCI spec writer adds the same). */
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final int MAX_LINKS = 40;

    /** What was found: the command is missing or not executable, with a sentence saying where it looked. */
    record Finding(CommandError.Reason reason, String command, String detail) { }

    private CommandResolver() { }

    /**
     * @param rootfs    the container's root filesystem, as the agent sees it
     * @param cmd       the process
     * @param container the container id, for the message
     * @return the finding, or {@code null} when the command is there and executable (the failure is something else)
     */
    static Finding check(Path rootfs, Cmd cmd, String container) {
        if (cmd.getArgsCount() == 0 || cmd.getArgs(0).isEmpty()) return null;
        String name = cmd.getArgs(0);
        String in = " in container " + container;
        if (name.contains("/")) {
            String cwd = cmd.getWorkDir().isEmpty() ? "/" : cmd.getWorkDir();
            Path p = resolve(rootfs, name.startsWith("/") ? name : cwd + "/" + name);
            if (p == null || !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                return new Finding(CommandError.Reason.NOT_FOUND, name, "command '" + name + "' not found" + in + ": no such file");
            }
            String why = notExecutable(p);
            return why == null ? null : new Finding(CommandError.Reason.NOT_EXECUTABLE, name,
                    "command '" + name + "'" + in + " cannot be executed: " + why);
        }
        String path = path(cmd);
        String firstProblem = null;
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) continue;
            Path p = resolve(rootfs, dir + "/" + name);
            if (p == null || !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) continue;
            String why = notExecutable(p);
            if (why == null) return null;
            if (firstProblem == null) firstProblem = dir + "/" + name + " " + why;
        }
        if (firstProblem != null) {
            return new Finding(CommandError.Reason.NOT_EXECUTABLE, name, "command '" + name + "'" + in
                    + " cannot be executed: " + firstProblem);
        }
        return new Finding(CommandError.Reason.NOT_FOUND, name,
                "command '" + name + "' not found" + in + ": no such executable in PATH " + path);
    }

    private static String path(Cmd cmd) {
        String path = DEFAULT_PATH;
        for (EnvVar e : cmd.getEnvsList()) {
            if (e.getVar().equals("PATH")) path = e.getValue();
        }
        return path;
    }

    /** Why the (resolved, existing) file cannot be executed, or null when it can. */
    private static String notExecutable(Path p) {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) return "it is a directory";
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) return "it is not a regular file";
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
            boolean x = perms.contains(PosixFilePermission.OWNER_EXECUTE) || perms.contains(PosixFilePermission.GROUP_EXECUTE)
                    || perms.contains(PosixFilePermission.OTHERS_EXECUTE);
            return x ? null : "it has no execute permission";
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /**
     * {@code path} inside {@code rootfs}, following symbolic links as if rootfs were {@code /}: an absolute link
     * target starts again at rootfs, {@code ..} never leaves it.
     *
     * @return the file as the agent sees it (it may not exist), or null after too many links
     */
    static Path resolve(Path rootfs, String path) {
        Deque<String> todo = new ArrayDeque<>(List.of(path.split("/")));
        Path cur = rootfs;
        int links = 0;
        while (!todo.isEmpty()) {
            String c = todo.pollFirst();
            if (c.isEmpty() || c.equals(".")) continue;
            if (c.equals("..")) {
                if (!cur.equals(rootfs)) cur = cur.getParent();
                continue;
            }
            Path next = cur.resolve(c);
            if (!Files.isSymbolicLink(next)) {
                cur = next;
                continue;
            }
            if (++links > MAX_LINKS) return null;
            String target;
            try {
                target = Files.readSymbolicLink(next).toString();
            } catch (IOException e) {
                return null;
            }
            if (target.startsWith("/")) cur = rootfs;
            String[] parts = target.split("/");
            for (int i = parts.length - 1; i >= 0; i--) todo.addFirst(parts[i]);
        }
        return cur;
    }
}
