package org.vcj.hypervisor.qemu.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import org.vcj.api.hypervisor.VM;

/** The guest's serial console ({@code console.log}): /init and the agent print their milestones there. */
final class QemuConsole {

    private QemuConsole() {
    }

    /** How far the guest got: kernel, init, agent starting, agent ready. */
    static String bootStage(VM vm) {
        String console;
        try {
            console = Files.readString(QemuRunFiles.of(vm).console(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
        if (console.contains("agent ready")) return "agent ready";
        if (console.contains("vcj-init: agent starting")) return "agent starting";
        if (console.contains(KvmProbe.INIT_MARK)) return "init";
        return "kernel";
    }

    /** The console's last lines, for an error message. */
    static String tail(VM vm) {
        return QemuProcess.tail(QemuRunFiles.of(vm).console());
    }
}
