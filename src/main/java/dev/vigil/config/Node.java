package dev.vigil.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A value read from a configuration file, in either format, with where it was written. Both readers produce this tree
 * so that one validator serves TOML and usrsvc files alike, and every error can point at a file and line.
 */
sealed interface Node {

    /** The full key as the user wrote it, e.g. {@code service.web.success_seconds} or {@code Program:web.maxrestarts}. */
    String key();

    /** Where the key was written (for a table: its header). */
    Origin at();

    /** The value as written, for the "found" part of an error: strings quoted. */
    String written();

    /**
     * A table. Entries are keyed by Vigil's key name (usrsvc names are translated by the reader), in file order.
     *
     * @param usrsvc read from a usrsvc file: strings may stand for booleans and numbers, and messages use usrsvc names
     */
    record Table(String key, Origin at, boolean usrsvc, Map<String, Node> entries) implements Node {
        Table(String key, Origin at, boolean usrsvc) {
            this(key, at, usrsvc, new LinkedHashMap<>());
        }

        /** The full key of an entry of this table, for a message about a key that is missing. */
        String child(String name) {
            return key.isEmpty() ? name : key + "." + name;
        }

        @Override
        public String written() {
            return "a table";
        }
    }

    /**
     * A single value: a {@code String}, {@code Long}, {@code java.math.BigInteger}, {@code Double} or {@code Boolean}.
     *
     * @param text the value is untyped text (usrsvc), so "True" or "30" may stand for a boolean or a number
     */
    record Scalar(String key, Origin at, Object value, boolean text) implements Node {
        @Override
        public String written() {
            return value instanceof String s
                    ? '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"'
                    : value.toString();
        }
    }

    record Array(String key, Origin at, List<Node> items) implements Node {
        public Array {
            items = List.copyOf(items);
        }

        @Override
        public String written() {
            return items.stream().map(Node::written).collect(Collectors.joining(", ", "[", "]"));
        }
    }
}
