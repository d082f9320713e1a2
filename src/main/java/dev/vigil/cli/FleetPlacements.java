package dev.vigil.cli;

import dev.vigil.config.VigilConfig;

/** {@code SERVICE@HOST} names of fleet placements, as events and the daemon use them. */
final class FleetPlacements {
    private FleetPlacements() {}

    /** Whether {@code name} is a fleet service on a host its {@code hosts} expression selects. */
    static boolean exists(VigilConfig config, String name) {
        int at = name.indexOf('@');
        if (at <= 0 || at == name.length() - 1) {
            return false;
        }
        String service = name.substring(0, at);
        String host = name.substring(at + 1);
        return config.service(service)
                .flatMap(s -> s.hosts())
                .flatMap(expression -> config.inventory().host(host).filter(h -> expression.matches(h.classes())))
                .isPresent();
    }
}
