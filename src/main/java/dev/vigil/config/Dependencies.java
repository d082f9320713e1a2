package dev.vigil.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks {@code requires} and {@code after} across all services: every name is a service, and no service depends on
 * itself through them ({@code a -> b -> a}). Errors are reported at the key that names the dependency.
 */
final class Dependencies {
    private final Problems problems;
    private final Set<String> defined;
    private final Map<String, Node.Table> tables;

    /** Edges of the graph: for each service, each service it names, with the node that names it. */
    private final Map<String, Map<String, Node>> edges = new LinkedHashMap<>();

    private final Set<String> finished = new HashSet<>();

    /**
     * @param defined every service with a table, valid or not, so an error in one does not look like a missing name
     * @param tables the services' tables with their defaults merged in
     */
    Dependencies(Problems problems, Set<String> defined, Map<String, Node.Table> tables) {
        this.problems = problems;
        this.defined = defined;
        this.tables = tables;
    }

    void check(List<ServiceConfig> services) {
        for (ServiceConfig service : services) {
            Map<String, Node> named = new LinkedHashMap<>();
            Node.Table table = tables.get(service.name());
            name(service.supervision().requires(), table.entries().get(Key.REQUIRES.id), named);
            name(service.supervision().after(), table.entries().get(Key.AFTER.id), named);
            edges.put(service.name(), named);
        }
        for (String service : edges.keySet()) {
            visit(service, new ArrayList<>());
        }
    }

    private void name(List<String> names, Node node, Map<String, Node> named) {
        for (String name : names) {
            if (defined.contains(name)) {
                named.putIfAbsent(name, node);
            } else {
                problems.at(
                        node,
                        "'" + name + "' is not a service; "
                                + (defined.isEmpty()
                                        ? "there are none"
                                        : "known: "
                                                + String.join(
                                                        ", ",
                                                        defined.stream()
                                                                .sorted()
                                                                .toList())));
            }
        }
    }

    /** Depth first; a service met again while it is on {@code path} closes a cycle. */
    private void visit(String service, List<String> path) {
        if (finished.contains(service)) {
            return;
        }
        int on = path.indexOf(service);
        if (on >= 0) {
            List<String> cycle = new ArrayList<>(path.subList(on, path.size()));
            cycle.add(service);
            problems.at(
                    edges.get(cycle.getFirst()).get(cycle.get(1)),
                    "dependency cycle: " + String.join(" -> ", cycle)
                            + "; requires and after must not lead back to the service");
            return;
        }
        path.add(service);
        edges.getOrDefault(service, Map.of()).keySet().forEach(next -> visit(next, path));
        path.removeLast();
        finished.add(service);
    }
}
