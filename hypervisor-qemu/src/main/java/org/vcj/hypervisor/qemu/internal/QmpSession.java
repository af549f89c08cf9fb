package org.vcj.hypervisor.qemu.internal;

import java.io.IOException;
import java.time.Duration;

import org.vcj.api.HypervisorException;
import org.vcj.api.hypervisor.VM;

/** One QMP connection to a running VM for one operation; a failure names the VM and the operation. */
final class QmpSession {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** What an operation does over the connection. */
    interface Action<T> {
        T run(QmpClient qmp) throws IOException;
    }

    private QmpSession() {
    }

    static <T> T with(VM vm, String operation, Action<T> action) {
        try (QmpClient qmp = QmpClient.connect(vm.id(), QemuRunFiles.of(vm).qmpSocket(), TIMEOUT)) {
            return action.run(qmp);
        } catch (IOException e) {
            throw new HypervisorException(vm.id(), operation, "QMP failed: " + e.getMessage(), e);
        }
    }

    /** Runs a command without arguments. */
    static void execute(VM vm, String command) {
        with(vm, command, qmp -> qmp.execute(command));
    }
}
