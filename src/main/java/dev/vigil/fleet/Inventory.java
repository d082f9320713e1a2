package dev.vigil.fleet;

import dev.vigil.config.Origin;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The hosts of the fleet, from the configuration's {@code [host.NAME]} and {@code [hostgroup.NAME]} tables
 * (docs/fleet.md), in the order they were defined.
 */
public record Inventory(List<Host> hosts) {
    /** The class every host is in. */
    public static final String ANY = "any";

    public static final int SSH_PORT = 22;

    public static final Inventory EMPTY = new Inventory(List.of());

    public Inventory {
        hosts = List.copyOf(hosts);
    }

    /** The hosts {@code expression} selects, in inventory order. */
    public List<Host> select(ClassExpression expression) {
        return hosts.stream().filter(h -> expression.matches(h.classes())).toList();
    }

    public Optional<Host> host(String name) {
        return hosts.stream().filter(h -> h.name().equals(name)).findFirst();
    }

    /**
     * The class named after a host, as CFEngine's hard classes: its first label, lowercase, with '-' and '.' turned
     * into '_'; empty when that is not a class name (a name starting with a digit, such as an IP address).
     */
    public static Optional<String> shortNameClass(String name) {
        int dot = name.indexOf('.');
        String label = (dot < 0 ? name : name.substring(0, dot))
                .toLowerCase(Locale.ROOT)
                .replace('-', '_')
                .replace('.', '_');
        return ClassExpression.isClassName(label) ? Optional.of(label) : Optional.empty();
    }

    /**
     * One host.
     *
     * @param address the host name or IP address to connect to (by default, the name)
     * @param user the SSH user; empty: SSH's default
     * @param key the SSH private key; empty: SSH's default
     * @param classes every class the host is in, {@code any} and its short name included
     * @param origin where the host's table is
     */
    public record Host(
            String name,
            String address,
            int port,
            Optional<String> user,
            Optional<Path> key,
            Set<String> classes,
            Origin origin) {
        public Host {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(origin, "origin");
            classes = Set.copyOf(classes);
        }
    }
}
