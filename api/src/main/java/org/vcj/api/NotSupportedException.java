package org.vcj.api;

/** The operation exists in the API but the selected plugin cannot do it (e.g. CPU hotplug on the mock hypervisor). */
public final class NotSupportedException extends VcException {
    private static final long serialVersionUID = 1L;
    private final String operation;
    private final String provider;

    public NotSupportedException(String operation, String provider, String hint) {
        super(operation + " is not supported by " + provider + (hint == null ? "" : ": " + hint), null);
        this.operation = operation;
        this.provider = provider;
    }

    public String operation() { return operation; }

    public String provider() { return provider; }
}
