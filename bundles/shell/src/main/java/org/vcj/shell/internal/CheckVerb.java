package org.vcj.shell.internal;

import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code check}: what this host can do and why not, one line each (like {@code kata-runtime check}); exit status 0
 * only when a QEMU sandbox can run.
 */
final class CheckVerb implements Verb {
    /** The full usage text (also the Gogo command's description). */
    static final String USAGE = """
                vcj check
                  Says what this host can do, one line each: the accelerator (the KVM probe's answer and how it was
                  found), QEMU and its version, seccomp, the guest kernel, initramfs and image, the host's cgroup layout
                  and the OCI runtime of the mock, network namespaces, containerd and the shim on PATH, the JDK.
                  'FAIL' lines are what a QEMU sandbox needs, 'warn' lines what only limits other uses. Starts no VM.
                  Exit status 0 when a QEMU sandbox can run here, else 1.""";

    @Override public String name() { return "check"; }

    @Override public String summary() { return "check what this host can run (QEMU, guest, KVM, cgroups, containerd)"; }

    @Override public String usage() { return USAGE; }

    @Override public List<Option> options() { return List.of(); }

    @Override
    public int execute(CommandLine cl, VerbContext ctx) throws InterruptedException {
        cl.requirePositionals();
        List<HostFinding> findings = new HostChecks(ctx.properties()).all();
        findings.forEach(f -> ctx.io().out().println(f.line()));
        String missing = findings.stream().filter(f -> f.required() && !f.ok()).map(HostFinding::name).collect(Collectors.joining(", "));
        if (missing.isEmpty()) {
            ctx.io().out().println("a QEMU sandbox can run on this host");
            return 0;
        }
        ctx.io().err().println("vcj: a QEMU sandbox cannot run on this host (missing: " + missing
                + "); --hypervisor=mock runs containers without a VM (no isolation)");
        return 1;
    }
}
