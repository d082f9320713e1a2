package dev.vigil.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A service table with the keys of its {@code [defaults.NAME]} table that it does not set itself. Subtables
 * ({@code env}, {@code monitor}) merge key by key, as usrsvc merges [[Env]] and [[Monitoring]]; the service's own
 * {@code [[check]]} tables come after the inherited ones. Keys that do not apply
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
                                    .<Node>map(n -> switch (n) {
                                        case Node.Table t when node instanceof Node.Table own -> overlay(own, t);
                                        case Node.Array a
                                        when node instanceof Node.Array own && name.equals(Key.CHECKS.id) ->
                                            concat(own, a);
                                        default -> node;
                                    })
                                    .orElse(node));
        });
        return merged;
    }

    /** A service's own checks run after the inherited ones. */
    private static Node concat(Node.Array own, Node.Array inherited) {
        List<Node> items = new ArrayList<>(inherited.items());
        items.addAll(own.items());
        return new Node.Array(own.key(), own.at(), items);
    }

    private static Node.Table overlay(Node.Table own, Node.Table inherited) {
        Node.Table merged = new Node.Table(own.key(), own.at(), own.usrsvc());
        merged.entries().putAll(inherited.entries());
        merged.entries().putAll(own.entries());
        return merged;
    }
}
