package dev.vigil.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Typed, optional access to the keys of one table. A bad value is recorded in {@link Problems} and read as absent,
 * so validation goes on and every error of a file is reported together.
 */
final class Fields {
    private final Node.Table table;
    private final Problems problems;

    Fields(Node.Table table, Problems problems) {
        this.table = table;
        this.problems = problems;
    }

    Node.Table table() {
        return table;
    }

    Optional<Node> node(Key key) {
        return node(key.id);
    }

    /** The entry called {@code name}: for tables whose keys are not {@link Key}s (health checks). */
    Optional<Node> node(String name) {
        return Optional.ofNullable(table.entries().get(name));
    }

    boolean has(Key key) {
        return table.entries().containsKey(key.id);
    }

    /** The value of {@code key} read by {@code reader}, empty when absent or bad (then the error is recorded). */
    <T> Optional<T> get(Key key, Function<Node, T> reader) {
        return get(key.id, reader);
    }

    /** Like {@link #get(Key, Function)}, for the entry called {@code name}. */
    <T> Optional<T> get(String name, Function<Node, T> reader) {
        return node(name).flatMap(node -> {
            try {
                return Optional.of(reader.apply(node));
            } catch (BadValue e) {
                problems.at(node, e.rule());
                return Optional.empty();
            }
        });
    }

    /** Like {@link #get}, with a further check that throws {@link BadValue}. */
    <T> Optional<T> get(Key key, Function<Node, T> reader, Function<T, T> check) {
        return get(key.id, reader, check);
    }

    <T> Optional<T> get(String name, Function<Node, T> reader, Function<T, T> check) {
        return get(name, reader.andThen(check));
    }

    boolean bool(Key key, boolean fallback) {
        return get(key, Values::bool).orElse(fallback);
    }

    Optional<String> string(Key key) {
        return get(key, Values::string);
    }

    Duration duration(Key key, Duration fallback) {
        return get(key, Values::duration).orElse(fallback);
    }

    Optional<Path> path(Key key) {
        return get(key, Values::absolutePath);
    }

    Optional<List<String>> strings(Key key) {
        return get(key, Values::strings);
    }

    Optional<Pattern> regex(Key key) {
        return get(key, Values::regex);
    }

    Optional<Node.Table> subtable(Key key) {
        return get(key, Values::table);
    }

    /** Records that {@code key} is missing, at the table's header. */
    void missing(Key key, String rule) {
        problems.in(table, key.shown(table.usrsvc()), rule);
    }

    Problems problems() {
        return problems;
    }
}
