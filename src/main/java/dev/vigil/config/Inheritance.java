package dev.vigil.config;

import java.util.Optional;

/**
 * A service table with the keys of its {@code [defaults.NAME]} table that it does not set itself. Subtables
 * ({@code env}, {@code monitor}) merge key by key, as usrsvc merges [[Env]] and [[Monitoring]]. Keys that do not apply
 * to the service's driver are not inherited: one defaults table can serve exec and systemd services alike.
 */
final class Inheritance {
    private Inheritance() {}

    static Node.Table merge(Node.Table service, Node.Table defaults, String driver) {
        Node.Table merged = new Node.Table(service.key(), service.at(), service.usrsvc());
        defaults.entries().forEach((name, node) -> {
            boolean applies = Key.find(Key.Scope.SERVICE, name, false)
                    .map(k -> k != Key.DEFAULTS && k.drivers.contains(driver))
                    .orElse(true);
            if (applies) {
                merged.entries().put(name, node);
            }
        });
        service.entries().forEach((name, node) -> {
            Node inherited = merged.entries().get(name);
            merged.entries()
                    .put(
                            name,
                            Optional.ofNullable(inherited)
                                    .filter(n -> n instanceof Node.Table && node instanceof Node.Table)
                                    .<Node>map(n -> overlay((Node.Table) node, (Node.Table) n))
                                    .orElse(node));
        });
        return merged;
    }

    private static Node.Table overlay(Node.Table own, Node.Table inherited) {
        Node.Table merged = new Node.Table(own.key(), own.at(), own.usrsvc());
        merged.entries().putAll(inherited.entries());
        merged.entries().putAll(own.entries());
        return merged;
    }
}
