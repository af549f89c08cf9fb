package org.vcj.api;

import java.util.List;

/**
 * A command to execute in a container (Kata {@code Cmd}). User and groups stay strings: a name
 * or a numeric id, resolved inside the container. Build with {@link #builder()}.
 *
 * @param args               the argv; must not be empty
 * @param envs               environment
 * @param workDir            working directory inside the container ({@code /} when empty)
 * @param user               user name or uid ({@code 0} when empty)
 * @param primaryGroup       group name or gid
 * @param supplementaryGroups extra groups
 * @param interactive        keep stdin open
 * @param console            a console path; non-empty means "allocate a terminal"
 * @param detach             nobody relays the output: the agent must never block the process on it
 * @param noNewPrivileges    set no_new_privs
 * @param capabilities       capability sets
 */
public record Cmd(List<String> args, List<EnvVar> envs, String workDir, String user, String primaryGroup,
                  List<String> supplementaryGroups, boolean interactive, String console, boolean detach,
                  boolean noNewPrivileges, LinuxCapabilities capabilities) {

    public Cmd {
        if (args == null || args.isEmpty() || args.get(0) == null || args.get(0).isEmpty()) {
            throw new InvalidConfigException("Cmd.Args", String.valueOf(args), "a command needs at least the program to run");
        }
        for (String a : args) {
            if (a == null || a.indexOf('\0') >= 0) throw new InvalidConfigException("Cmd.Args", String.valueOf(args), "arguments must not be null or contain NUL");
        }
        args = List.copyOf(args);
        envs = envs == null ? List.of() : List.copyOf(envs);
        workDir = workDir == null || workDir.isEmpty() ? "/" : Paths.requireAbsolute("Cmd.WorkDir", workDir);
        user = user == null ? "" : user;
        primaryGroup = primaryGroup == null ? "" : primaryGroup;
        supplementaryGroups = supplementaryGroups == null ? List.of() : List.copyOf(supplementaryGroups);
        console = console == null ? "" : console;
        capabilities = capabilities == null ? LinuxCapabilities.DEFAULT : capabilities;
    }

    /** True when a terminal is to be allocated for the process. */
    public boolean terminal() { return !console.isEmpty(); }

    public static Builder builder(String... args) { return new Builder().args(List.of(args)); }

    public static Builder builder(List<String> args) { return new Builder().args(args); }

    public Builder toBuilder() {
        return new Builder().args(args).envs(envs).workDir(workDir).user(user).primaryGroup(primaryGroup)
                .supplementaryGroups(supplementaryGroups).interactive(interactive).console(console).detach(detach)
                .noNewPrivileges(noNewPrivileges).capabilities(capabilities);
    }

    /** Builder for {@link Cmd}; not thread-safe. */
    public static final class Builder {
        private List<String> args = List.of();
        private List<EnvVar> envs = List.of(new EnvVar("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
        private String workDir = "/", user = "", primaryGroup = "", console = "";
        private List<String> supplementaryGroups = List.of();
        private boolean interactive, detach, noNewPrivileges;
        private LinuxCapabilities capabilities = LinuxCapabilities.DEFAULT;

        private Builder() { }

        public Builder args(List<String> v) { args = v; return this; }
        /** Replaces the environment (the default has PATH only). */
        public Builder envs(List<EnvVar> v) { envs = v; return this; }
        public Builder workDir(String v) { workDir = v; return this; }
        public Builder user(String v) { user = v; return this; }
        public Builder primaryGroup(String v) { primaryGroup = v; return this; }
        public Builder supplementaryGroups(List<String> v) { supplementaryGroups = v; return this; }
        public Builder interactive(boolean v) { interactive = v; return this; }
        public Builder console(String v) { console = v; return this; }
        public Builder detach(boolean v) { detach = v; return this; }
        public Builder noNewPrivileges(boolean v) { noNewPrivileges = v; return this; }
        public Builder capabilities(LinuxCapabilities v) { capabilities = v; return this; }

        public Cmd build() {
            return new Cmd(args, envs, workDir, user, primaryGroup, supplementaryGroups, interactive, console, detach,
                    noNewPrivileges, capabilities);
        }
    }
}
