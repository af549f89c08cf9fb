package org.vcj.api;

import java.util.List;

/** No plugin service of the requested type is installed; the message lists those that are. */
public final class PluginNotFoundException extends VcException {
    private static final long serialVersionUID = 1L;
    private final String pluginKind;
    private final String name;
    private final List<String> installed;

    /**
     * @param pluginKind the service property, e.g. {@code vcj.hypervisor}
     * @param name       the requested type, e.g. {@code acme}
     * @param installed  the types that are installed now
     */
    public PluginNotFoundException(String pluginKind, String name, List<String> installed) {
        super("no " + pluginKind + " plugin '" + name + "' is installed; installed: "
                + (installed.isEmpty() ? "(none)" : String.join(", ", installed))
                + ". Install a bundle that registers it (e.g. drop it into plugins/) or choose an installed one", null);
        this.pluginKind = pluginKind;
        this.name = name;
        this.installed = List.copyOf(installed);
    }

    public String pluginKind() { return pluginKind; }

    public String name() { return name; }

    public List<String> installed() { return installed; }
}
