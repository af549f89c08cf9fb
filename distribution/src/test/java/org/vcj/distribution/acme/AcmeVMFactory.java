package org.vcj.distribution.acme;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.vcj.api.HypervisorException;
import org.vcj.api.factory.VMFactory;
import org.vcj.api.factory.VMRequest;
import org.vcj.api.hypervisor.VM;

/**
 * A vendor's VM factory, registered by the same sample bundle as {@code vcj.vmfactory=acme}: it boots the VM with the
 * hypervisor the core hands it and logs {@code newVM <id>} to {@code acme.log} beside the VM's run directory.
 */
public final class AcmeVMFactory implements VMFactory {

    @Override
    public VM newVM(VMRequest request) {
        Path log = Path.of(request.config().runDir()).getParent().resolve("acme.log");
        try {
            Files.writeString(log, "newVM " + request.config().id() + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new HypervisorException(request.config().id(), "acme factory log", e.getMessage(), e);
        }
        return request.hypervisor().startVM(request.config(), request.timeout());
    }
}
