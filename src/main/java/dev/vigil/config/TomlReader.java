package dev.vigil.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.dataformat.toml.TomlFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads a TOML file into a {@link Node} tree, every node with its line (see {@link TomlLines} for why). */
final class TomlReader {
    private static final TomlFactory FACTORY = new TomlFactory();
    private static final Pattern BARE = Pattern.compile("[A-Za-z0-9_-]+");

    private final Path file;
    private final TomlLines lines;

    private TomlReader(Path file, String text) {
        this.file = file;
        this.lines = TomlLines.index(text);
    }

    /** The file's root table, or empty after recording the syntax error. */
    static Optional<Node.Table> read(Path file, String text, Problems problems) {
        try (JsonParser parser = FACTORY.createParser(text)) {
            parser.nextToken();
            return Optional.of((Node.Table) new TomlReader(file, text).value(parser, List.of()));
        } catch (StreamReadException e) {
            int line = e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getLineNr());
            problems.add(new ConfigError(file, line, "syntax", "", "not valid TOML: " + e.getOriginalMessage()));
        } catch (IOException e) {
            problems.add(new ConfigError(file, 0, "syntax", "", "cannot be read as TOML: " + e.getMessage()));
        }
        return Optional.empty();
    }

    /** The value at the parser's current token, whose key path is {@code path}. */
    private Node value(JsonParser p, List<String> path) throws IOException {
        String key = key(path);
        Origin at = new Origin(file, lines.line(path));
        return switch (p.currentToken()) {
            case START_OBJECT -> {
                Node.Table table = new Node.Table(key, at, false);
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    table.entries().put(name, value(p, append(path, name)));
                }
                yield table;
            }
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    // A table in an array ([[service.web.check]]) is one element with its own keys and lines.
                    boolean table = p.currentToken() == JsonToken.START_OBJECT;
                    items.add(value(p, table ? append(path, TomlLines.index(items.size() + 1)) : path));
                }
                yield new Node.Array(key, at, items);
            }
            case VALUE_TRUE, VALUE_FALSE -> new Node.Scalar(key, at, p.getBooleanValue(), false);
            case VALUE_NUMBER_INT ->
                new Node.Scalar(
                        key,
                        at,
                        p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                                ? p.getBigIntegerValue()
                                : (Object) p.getLongValue(),
                        false);
            case VALUE_NUMBER_FLOAT -> new Node.Scalar(key, at, p.getDoubleValue(), false);
            case VALUE_EMBEDDED_OBJECT -> new Node.Scalar(key, at, String.valueOf(p.getEmbeddedObject()), false);
            default -> new Node.Scalar(key, at, p.getText(), false);
        };
    }

    private static List<String> append(List<String> path, String name) {
        List<String> longer = new ArrayList<>(path);
        longer.add(name);
        return List.copyOf(longer);
    }

    /**
     * The dotted key as it would be written, quoting parts that are not bare keys; the elements of an array of tables
     * are numbered from 1: {@code service.web.check[2].timeout}.
     */
    static String key(List<String> path) {
        StringBuilder key = new StringBuilder();
        for (String part : path) {
            if (TomlLines.isIndex(part)) {
                key.append(part);
                continue;
            }
            if (!key.isEmpty()) {
                key.append('.');
            }
            key.append(BARE.matcher(part).matches() ? part : '"' + part + '"');
        }
        return key.toString();
    }
}
