package dev.vigil.config;

import java.nio.file.Path;

/**
 * One thing wrong with a configuration: where it is, which key, what was found there, and the rule it breaks (which
 * says what to write instead).
 *
 * @param file the file the value is in
 * @param line 1-based line of the key, 0 when not known (a missing key: the line of its table)
 * @param key the full dotted key, e.g. {@code service.web.success_seconds}
 * @param found the value as written, or empty when the key is missing
 * @param rule what the value must be, e.g. {@code a duration such as "30s", "5m", "1h" or a number of seconds}
 */
public record ConfigError(Path file, int line, String key, String found, String rule) {

    @Override
    public String toString() {
        return (line > 0 ? file + ":" + line : file.toString()) + ": " + (key.isEmpty() ? "" : key + ": ") + rule
                + (found.isEmpty() ? "" : " (found " + found + ")");
    }
}
