package dev.vigil.config;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects every configuration error instead of stopping at the first. A set, because a bad value in a defaults table
 * is seen once for the table and again for each service that inherits it, and should be reported once.
 */
final class Problems {
    private final Set<ConfigError> errors = new LinkedHashSet<>();
    private final Path base;

    /** @param base the main file's directory: places in messages are shown relative to it */
    Problems(Path base) {
        this.base = base;
    }

    /** A {@code kind} (service, defaults) called {@code name} is defined at {@code first} and again at {@code second}. */
    void twice(String kind, String name, Origin first, Origin second, String key) {
        errors.add(new ConfigError(
                second.file(),
                second.line(),
                key,
                "",
                kind + " '" + name + "' is defined twice: " + shown(first) + " and " + shown(second)
                        + "; rename or remove one"));
    }

    /** A place as the user thinks of it: relative to the main file's directory when inside it. */
    String shown(Origin origin) {
        Path file = origin.file().startsWith(base) ? base.relativize(origin.file()) : origin.file();
        return new Origin(file, origin.line()).toString();
    }

    /** The value at {@code node} breaks {@code rule}. */
    void at(Node node, String rule) {
        errors.add(new ConfigError(node.at().file(), node.at().line(), node.key(), node.written(), rule));
    }

    /** Something is wrong with the key at {@code node} itself (unknown, not allowed here): its value is beside the point. */
    void named(Node node, String rule) {
        errors.add(new ConfigError(node.at().file(), node.at().line(), node.key(), "", rule));
    }

    /** The key {@code name} of {@code table} is missing or wrong as a whole; reported at the table's header. */
    void in(Node.Table table, String name, String rule) {
        errors.add(new ConfigError(table.at().file(), table.at().line(), table.child(name), "", rule));
    }

    void add(ConfigError error) {
        errors.add(error);
    }

    boolean isEmpty() {
        return errors.isEmpty();
    }

    /** How many errors there are so far: whether reading something added one. */
    int size() {
        return errors.size();
    }

    /** The errors file by file (in the order the files were read), each file's by line, as an editor walks them. */
    List<ConfigError> list() {
        List<Path> files = errors.stream().map(ConfigError::file).distinct().toList();
        return errors.stream()
                .sorted(Comparator.comparingInt((ConfigError e) -> files.indexOf(e.file()))
                        .thenComparingInt(ConfigError::line))
                .toList();
    }
}
