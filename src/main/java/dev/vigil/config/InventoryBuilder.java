package dev.vigil.config;

import dev.vigil.fleet.ClassExpression;
import dev.vigil.fleet.HostRanges;
import dev.vigil.fleet.Inventory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the {@code [host.NAME]} and {@code [hostgroup.NAME]} tables of every file (docs/fleet.md) into an
 * {@link Inventory}. Every error is recorded in {@link Problems} with its file, line and key.
 */
final class InventoryBuilder {
    private static final String HOST_RULE =
            ConfigGrammar.HOST_RULE + ", with optional ranges such as xrd[01-40].example.org";

    private final Problems problems;

    InventoryBuilder(Problems problems) {
        this.problems = problems;
    }

    /**
     * @param hosts the {@code [host.NAME]} tables of every file, in file order
     * @param groups the {@code [hostgroup.NAME]} tables, by name
     */
    Inventory build(List<Node.Table> hosts, Map<String, Node.Table> groups) {
        Map<String, Origin> seen = new LinkedHashMap<>();
        Map<String, Inventory.Host> byName = new LinkedHashMap<>();
        for (Node.Table table : hosts) {
            String pattern = lastPart(table);
            List<String> names = names(pattern, table);
            if (names.isEmpty()) {
                continue;
            }
            Optional<Inventory.Host> template = host(table, names.size() > 1 || HostRanges.isRange(pattern));
            for (String name : names) {
                // Host names are case-insensitive, as DNS names are.
                Origin first = seen.putIfAbsent(name.toLowerCase(Locale.ROOT), table.at());
                if (first != null) {
                    problems.twice("host", name, first, table.at(), table.key());
                    continue;
                }
                template.ifPresent(t -> byName.put(name.toLowerCase(Locale.ROOT), withName(t, name)));
            }
        }
        groups.forEach((group, table) -> group(table, seen, byName));
        return new Inventory(List.copyOf(byName.values()));
    }

    /** The NAME of {@code [host.NAME]}: the key after the first dot, as written (it may contain dots). */
    private static String lastPart(Node.Table table) {
        String key = table.key();
        String name = key.substring(key.indexOf('.') + 1);
        return name.length() > 1 && name.startsWith("\"") && name.endsWith("\"")
                ? name.substring(1, name.length() - 1)
                : name;
    }

    /** The names a host table's NAME stands for; empty (and an error recorded) when it is not valid. */
    private List<String> names(String pattern, Node.Table table) {
        List<String> names;
        try {
            names = HostRanges.expand(pattern);
        } catch (IllegalArgumentException e) {
            problems.add(new ConfigError(table.at().file(), table.at().line(), table.key(), "", e.getMessage()));
            return List.of();
        }
        for (String name : names) {
            if (!ConfigGrammar.isHostName(name)) {
                problems.add(new ConfigError(
                        table.at().file(), table.at().line(), table.key(), '"' + pattern + '"', HOST_RULE));
                return List.of();
            }
        }
        return names;
    }

    /** The host a table describes, named after its table; empty when a value is bad. */
    private Optional<Inventory.Host> host(Node.Table table, boolean range) {
        int before = problems.size();
        checkKeys(table, Key.Scope.HOST);
        Fields f = new Fields(table, problems);
        Optional<String> address = f.get(Key.HOST_ADDRESS, Values::string, a -> {
            if (a.isBlank() || a.chars().anyMatch(Character::isWhitespace)) {
                throw new BadValue("a host name or IP address, such as \"10.0.0.7\" or \"web1.example.org\"");
            }
            if (range) {
                throw new BadValue("not set for a range of hosts: every host would get the same address; a host of a"
                        + " range is reached by its name");
            }
            return a;
        });
        int port = f.get(Key.HOST_PORT, n -> Values.integer(n, 1, 65535, "a port from 1 to 65535"))
                .orElse(Inventory.SSH_PORT);
        Optional<String> user = f.get(Key.HOST_USER, Values::string, u -> {
            if (!ConfigGrammar.isUserName(u)) {
                throw new BadValue("a user name, such as \"deploy\" (leave it out for SSH's default)");
            }
            return u;
        });
        Optional<Path> key = f.path(Key.HOST_KEY);
        Set<String> classes = f.get(Key.HOST_CLASSES, Values::strings, InventoryBuilder::classes)
                .<Set<String>>map(LinkedHashSet::new)
                .orElseGet(LinkedHashSet::new);
        if (problems.size() != before) {
            return Optional.empty();
        }
        return Optional.of(new Inventory.Host("", address.orElse(""), port, user, key, classes, table.at()));
    }

    /** {@code template} named {@code name}, with the classes every host is in. */
    private static Inventory.Host withName(Inventory.Host template, String name) {
        Set<String> classes = new LinkedHashSet<>();
        classes.add(Inventory.ANY);
        Inventory.shortNameClass(name).ifPresent(classes::add);
        classes.addAll(template.classes());
        String address = template.address().isEmpty() ? name : template.address();
        return new Inventory.Host(
                name, address, template.port(), template.user(), template.key(), classes, template.origin());
    }

    private void group(Node.Table table, Map<String, Origin> seen, Map<String, Inventory.Host> byName) {
        checkKeys(table, Key.Scope.HOSTGROUP);
        Fields f = new Fields(table, problems);
        List<String> classes = f.get(Key.GROUP_CLASSES, Values::strings, InventoryBuilder::classes)
                .orElse(List.of());
        Optional<List<String>> members = f.get(Key.GROUP_HOSTS, Values::strings, list -> {
            List<String> names = new ArrayList<>();
            for (String pattern : list) {
                List<String> expanded;
                try {
                    expanded = HostRanges.expand(pattern);
                } catch (IllegalArgumentException e) {
                    throw new BadValue(e.getMessage());
                }
                for (String name : expanded) {
                    String lower = name.toLowerCase(Locale.ROOT);
                    if (!seen.containsKey(lower)) {
                        throw new BadValue("names of hosts defined in [host.NAME] tables; \"" + name + "\" is not one");
                    }
                    names.add(lower);
                }
            }
            return names;
        });
        if (!f.has(Key.GROUP_HOSTS)) {
            f.missing(Key.GROUP_HOSTS, "required: the group's hosts, such as [\"db1\", \"xrd[01-04].example.org\"]");
        }
        members.ifPresent(names -> names.forEach(name -> byName.computeIfPresent(name, (n, host) -> {
            Set<String> all = new LinkedHashSet<>(host.classes());
            all.addAll(classes);
            return new Inventory.Host(
                    host.name(), host.address(), host.port(), host.user(), host.key(), all, host.origin());
        })));
    }

    private static List<String> classes(List<String> names) {
        for (String name : names) {
            if (!ClassExpression.isClassName(name)) {
                throw new BadValue("class names: a lowercase letter, then lowercase letters, digits, '_' or '-'; \""
                        + name + "\" is not one");
            }
        }
        return names;
    }

    private void checkKeys(Node.Table table, Key.Scope scope) {
        table.entries().forEach((name, node) -> {
            if (scope == Key.Scope.HOST && node instanceof Node.Table) {
                problems.named(
                        node,
                        "a host name with dots needs quotes: write [host.\"" + lastPart(table) + "." + name
                                + "...\"]; a host table has no subtables");
            } else if (Key.find(scope, name, false).isEmpty()) {
                problems.named(node, Key.unknown(scope, name, false, "exec"));
            }
        });
    }
}
