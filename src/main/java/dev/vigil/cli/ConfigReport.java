package dev.vigil.cli;

import dev.vigil.config.ConfigError;
import dev.vigil.config.ConfigException;
import java.util.LinkedHashMap;
import java.util.Map;

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

    /** The errors as {@code --json} prints them: {@code ok: false} and one object per error. */
    static Map<String, Object> json(ConfigException ex) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("ok", false);
        map.put("errors", ex.errors().stream().map(ConfigReport::json).toList());
        return map;
    }

    private static Map<String, Object> json(ConfigError error) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("file", error.file().toString());
        map.put("line", error.line());
        map.put("key", error.key());
        map.put("found", error.found());
        map.put("rule", error.rule());
        map.put("message", error.toString());
        return map;
    }
}
