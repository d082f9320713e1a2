package dev.vigil.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The services' {@code requires} and {@code after} relations (validated acyclic by the loader): who must start
 * before whom, what a start pulls in, what a stop takes down with it. Like systemd's Requires= and After=: starting
 * a service first starts what it requires; stopping or restarting one stops, then starts again, what requires it.
 */
public final class ServiceGraph {
    private final Map<String, ServiceConfig> byName;

    public ServiceGraph(VigilConfig config) {
        this(config.services());
    }

    public ServiceGraph(Collection<ServiceConfig> services) {
        this.byName = services.stream().collect(Collectors.toMap(ServiceConfig::name, Function.identity()));
    }

    /** The services that name {@code service} in {@code requires}, directly. */
    public List<ServiceConfig> requiredBy(String service) {
        return byName.values().stream()
                .filter(s -> s.supervision().requires().contains(service))
                .sorted(java.util.Comparator.comparing(ServiceConfig::name))
                .toList();
    }

    /** {@code services} and, transitively, everything they require, in start order. */
    public List<ServiceConfig> withRequired(Collection<ServiceConfig> services) {
        Set<ServiceConfig> all = new LinkedHashSet<>();
        services.forEach(s -> addRequired(s, all));
        return startOrder(all);
    }

    /** {@code services} and, transitively, everything that requires them, in stop order (dependents first). */
    public List<ServiceConfig> withDependents(Collection<ServiceConfig> services) {
        Set<ServiceConfig> all = new LinkedHashSet<>();
        services.forEach(s -> addDependents(s, all));
        return startOrder(all).reversed();
    }

    /**
     * {@code services} sorted so that each comes after everything it requires or is ordered after (among those
     * given); otherwise the given order is kept.
     */
    public List<ServiceConfig> startOrder(Collection<ServiceConfig> services) {
        List<ServiceConfig> given = new ArrayList<>(services);
        Set<String> names = given.stream().map(ServiceConfig::name).collect(Collectors.toSet());
        List<ServiceConfig> ordered = new ArrayList<>();
        Set<String> placed = new TreeSet<>();
        while (ordered.size() < given.size()) {
            boolean progress = false;
            for (ServiceConfig s : given) {
                if (!placed.contains(s.name())
                        && s.supervision().dependencies().stream()
                                .allMatch(d -> placed.contains(d) || !names.contains(d))) {
                    ordered.add(s);
                    placed.add(s.name());
                    progress = true;
                }
            }
            if (!progress) {
                throw new IllegalStateException(
                        "dependency cycle among " + names + " (the loader should have refused it)");
            }
        }
        return ordered;
    }

    private void addRequired(ServiceConfig service, Set<ServiceConfig> into) {
        if (into.add(service)) {
            for (String name : service.supervision().requires()) {
                ServiceConfig required = byName.get(name);
                if (required != null) {
                    addRequired(required, into);
                }
            }
        }
    }

    private void addDependents(ServiceConfig service, Set<ServiceConfig> into) {
        if (into.add(service)) {
            requiredBy(service.name()).forEach(d -> addDependents(d, into));
        }
    }
}
