package dev.vigil.config;

import dev.vigil.fleet.Inventory;
import dev.vigil.rollout.RolloutSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A whole, validated configuration: the main file, every file it pulled in, global settings and the services in the
 * order they were defined, the fleet's hosts (docs/fleet.md) and its rolling restarts (docs/rollouts.md).
 */
public record VigilConfig(
        Path source,
        List<Path> files,
        Settings settings,
        List<ServiceConfig> services,
        Inventory inventory,
        List<RolloutSpec> rollouts) {
    public VigilConfig {
        files = List.copyOf(files);
        services = List.copyOf(services);
        rollouts = List.copyOf(rollouts);
    }

    /** A configuration without rollouts. */
    public VigilConfig(
            Path source, List<Path> files, Settings settings, List<ServiceConfig> services, Inventory inventory) {
        this(source, files, settings, services, inventory, List.of());
    }

    public Optional<RolloutSpec> rollout(String name) {
        return rollouts.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    public Optional<ServiceConfig> service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
