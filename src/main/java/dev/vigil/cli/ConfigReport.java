package dev.vigil.cli;

import dev.vigil.config.ConfigError;
import dev.vigil.config.ConfigException;

/** Prints configuration errors the same way for every command. */
final class ConfigReport {
    private ConfigReport() {}

    static String describe(ConfigException ex) {
        StringBuilder text = new StringBuilder();
        int count = ex.errors().size();
        text.append("vigil: the configuration has ")
                .append(count)
                .append(count == 1 ? " error" : " errors")
                .append("; nothing was done:");
        for (ConfigError error : ex.errors()) {
            text.append(System.lineSeparator()).append("  ").append(error);
        }
        return text.toString();
    }
}
