package org.vcj.api;

/** The hypervisor failed to do what was asked (start, stop, pause, hotplug ...) for a sandbox's VM. */
public final class HypervisorException extends VcException {
    private static final long serialVersionUID = 1L;
    private final String sandboxId;
    private final String operation;

    public HypervisorException(String sandboxId, String operation, String detail, Throwable cause) {
        super(operation + " VM of sandbox '" + sandboxId + "' failed: " + detail, cause);
        this.sandboxId = sandboxId;
        this.operation = operation;
    }

    public String sandboxId() { return sandboxId; }

    public String operation() { return operation; }
}
