package dev.vigil.alert;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which sinks an alert goes to. An alert goes to the sinks of every route that matches it (all of them, in order,
 * without repeats); when no route matches, to the default sinks (usually: all sinks).
 */
public final class Routes {
    /**
     * @param alertName matches only this {@code alertname} when present
     * @param service matches only this service when present
     * @param sinks the sink names it sends to
     */
    public record Route(Optional<String> alertName, Optional<String> service, List<String> sinks) {
        public Route {
            sinks = List.copyOf(sinks);
        }

        public boolean matches(Alert alert) {
            return alertName.map(alert.name()::equals).orElse(true)
                    && service.map(alert.service()::equals).orElse(true);
        }

        /** A route for one service, e.g. usrsvc's {@code email_alerts}: that service's alerts also go to a mail sink. */
        public static Route forService(String service, List<String> sinks) {
            return new Route(Optional.empty(), Optional.of(service), sinks);
        }
    }

    private final List<Route> routes;
    private final List<String> defaultSinks;

    public Routes(List<Route> routes, List<String> defaultSinks) {
        this.routes = List.copyOf(routes);
        this.defaultSinks = List.copyOf(defaultSinks);
    }

    /** No routes: everything goes to {@code sinks}. */
    public static Routes all(List<String> sinks) {
        return new Routes(List.of(), sinks);
    }

    public List<String> sinksFor(Alert alert) {
        Set<String> sinks = new LinkedHashSet<>();
        routes.stream().filter(r -> r.matches(alert)).forEach(r -> sinks.addAll(r.sinks()));
        return sinks.isEmpty() ? defaultSinks : List.copyOf(sinks);
    }

    /** Every sink name a route or the default mentions. */
    public Set<String> sinkNames() {
        Set<String> names = new LinkedHashSet<>(defaultSinks);
        routes.forEach(r -> names.addAll(r.sinks()));
        return names;
    }
}
