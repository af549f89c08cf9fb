package org.vcj.shell.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.vcj.api.Interface;
import org.vcj.api.Route;
import org.vcj.api.VCSandbox;

/**
 * {@code network add-iface|del-iface|list-ifaces|update-routes|list-routes}: a sandbox's network at run time, in the
 * spirit of {@code kata-network}; interfaces and routes are read from and printed as JSON ({@link NetworkJson}).
 */
final class NetworkVerb implements Verb {
    /** The full usage text (also the Gogo command's description). */
    static final String USAGE = """
                vcj network ACTION ID [FILE.json]
                  add-iface ID FILE      hot-plugs a NIC for the interface in FILE (JSON: name, IPAddresses, mtu, hwAddr):
                                         its name is a host interface in the sandbox's network namespace to connect
                                         (else a tap of that name is made); prints the guest interface
                  del-iface ID FILE      unplugs the NIC of the interface in FILE (by name or hwAddr)
                  list-ifaces ID         prints the guest's interfaces (JSON array)
                  update-routes ID FILE  adds or replaces the routes in FILE (JSON array of dest, gateway, device,
                                         source, scope); prints the guest's routes
                  list-routes ID         prints the guest's routes (JSON array)
                  FILE may be - for standard input.""";

    @Override public String name() { return "network"; }

    @Override public String summary() { return "hot-plug NICs and manage routes of a sandbox"; }

    @Override public String usage() { return USAGE; }

    @Override public List<Option> options() { return List.of(); }

    @Override
    public int execute(CommandLine cl, VerbContext ctx) {
        List<String> p = cl.positionals();
        if (p.isEmpty()) throw new UsageException("missing ACTION: add-iface, del-iface, list-ifaces, update-routes or list-routes");
        String action = p.get(0);
        boolean withFile = action.equals("add-iface") || action.equals("del-iface") || action.equals("update-routes");
        if (!withFile && !action.equals("list-ifaces") && !action.equals("list-routes")) {
            throw new UsageException("unknown action '" + action + "': use add-iface, del-iface, list-ifaces, update-routes or list-routes");
        }
        List<String> args = withFile ? cl.requirePositionals("ACTION", "ID", "FILE") : cl.requirePositionals("ACTION", "ID");
        Object json = withFile ? JsonText.parse(read(args.get(2), ctx)) : null;
        VCSandbox s = ctx.vc().fetchSandbox(args.get(1));
        Object out = switch (action) {
            case "add-iface" -> NetworkJson.toJson(s.addInterface(NetworkJson.iface(json)));
            case "del-iface" -> NetworkJson.toJson(s.removeInterface(NetworkJson.iface(json)));
            case "list-ifaces" -> interfaces(s.listInterfaces());
            case "update-routes" -> routes(s.updateRoutes(NetworkJson.routes(json)));
            default -> routes(s.listRoutes());
        };
        ctx.io().out().println(JsonText.write(out));
        return 0;
    }

    private static List<Object> interfaces(List<Interface> list) {
        List<Object> out = new ArrayList<>();
        for (Interface i : list) out.add(NetworkJson.toJson(i));
        return out;
    }

    private static List<Object> routes(List<Route> list) {
        List<Object> out = new ArrayList<>();
        for (Route r : list) out.add(NetworkJson.toJson(r));
        return out;
    }

    private static String read(String file, VerbContext ctx) {
        try {
            return file.equals("-") ? new String(ctx.io().in().readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException("cannot read " + file + ": " + e.getMessage());
        }
    }
}
