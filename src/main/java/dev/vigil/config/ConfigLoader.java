package dev.vigil.config;

import java.nio.file.Path;
import java.util.List;

/** Reads and validates a configuration (TOML, or a usrsvc .cfg). */
public final class ConfigLoader {
    private ConfigLoader() {}

    public static VigilConfig load(Path file) throws ConfigException {
        throw new ConfigException(List.of(new ConfigError(file, 0, "", "", "the loader is being written")));
    }
}
