package org.vcj.core.internal;

import org.vcj.api.factory.VMFactory;
import org.vcj.api.factory.VMRequest;
import org.vcj.api.hypervisor.VM;

/** The default VM factory ({@code direct}, Kata's CreateNew): boots a new VM with the sandbox's hypervisor. */
final class DirectVMFactory implements VMFactory {

    @Override
    public boolean startsVmForRequest() {
        return true;
    }

    @Override
    public VM newVM(VMRequest request) {
        return request.hypervisor().startVM(request.config(), request.timeout());
    }
}
