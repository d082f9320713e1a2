package dev.vigil.config.imports;

import java.util.ArrayList;
import java.util.List;

/** Builds a TOML document line by line: tables, {@code key = value} lines with an optional comment, comments. */
final class TomlWriter {
    /** Comment lines are wrapped at this width. */
    static final int WIDTH = 116;

    private final StringBuilder out = new StringBuilder();

    /** A {@code # } comment, wrapped; continuation lines indented by {@code indent} more spaces. */
    TomlWriter comment(String text, int indent) {
        for (String line : wrap(TomlText.comment(text), WIDTH - 2, indent)) {
            out.append(line.isEmpty() ? "#" : "# " + line).append('\n');
        }
        return this;
    }

    TomlWriter blank() {
        out.append('\n');
        return this;
    }

    /** {@code [a.b.c]}, each part quoted when it needs to be, after a blank line. */
    TomlWriter table(String comment, String... parts) {
        if (!out.isEmpty()) {
            out.append('\n');
        }
        List<String> keys = new ArrayList<>();
        for (String part : parts) {
            keys.add(TomlText.key(part));
        }
        return line("[" + String.join(".", keys) + "]", comment);
    }

    /** {@code key = value}; {@code value} is TOML already (see {@link TomlText}). */
    TomlWriter set(String key, String value, String comment) {
        return line(TomlText.key(key) + " = " + value, comment);
    }

    private TomlWriter line(String text, String comment) {
        out.append(text);
        if (comment != null && !comment.isEmpty()) {
            out.append("  # ").append(TomlText.comment(comment));
        }
        out.append('\n');
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    /** {@code text} in lines of at most {@code width} characters where it has spaces to break at. */
    static List<String> wrap(String text, int width, int indent) {
        List<String> lines = new ArrayList<>();
        String rest = text;
        String prefix = "";
        while (prefix.length() + rest.length() > width) {
            int room = width - prefix.length();
            int cut = rest.lastIndexOf(' ', room);
            if (cut <= 0) {
                cut = rest.indexOf(' ', room);
                if (cut < 0) {
                    break;
                }
            }
            lines.add(prefix + rest.substring(0, cut));
            rest = rest.substring(cut + 1);
            prefix = " ".repeat(indent);
        }
        lines.add(prefix + rest);
        return lines;
    }
}
