package dev.vigil.config;

import dev.vigil.fleet.Inventory;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A whole, validated configuration: the main file, every file it pulled in, global settings and the services in the
 * order they were defined, and the fleet's hosts (docs/fleet.md).
 */
public record VigilConfig(
        Path source, List<Path> files, Settings settings, List<ServiceConfig> services, Inventory inventory) {
    public VigilConfig {
        files = List.copyOf(files);
        services = List.copyOf(services);
    }

    public Optional<ServiceConfig> service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
