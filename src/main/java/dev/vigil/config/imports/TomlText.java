package dev.vigil.config.imports;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * TOML values and keys written so that any text stays one value: basic strings with every quote, backslash and
 * control character escaped (TOML 1.0, section "String"), bare keys only when they are bare-key characters.
 */
public final class TomlText {
    private static final Pattern BARE_KEY = Pattern.compile("[A-Za-z0-9_-]+");

    private TomlText() {}

    /** {@code text} as a TOML basic string, quotes included. */
    public static String string(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        text.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20
                            || c == 0x7f
                            || Character.getType(c) == Character.LINE_SEPARATOR
                            || Character.getType(c) == Character.PARAGRAPH_SEPARATOR) {
                        out.append(String.format("\\u%04X", c));
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.append('"').toString();
    }

    /** A TOML array of basic strings on one line. */
    public static String strings(List<String> texts) {
        return texts.stream().map(TomlText::string).collect(Collectors.joining(", ", "[", "]"));
    }

    /** One part of a dotted key or table name: bare when it can be, else a quoted string. */
    public static String key(String part) {
        return BARE_KEY.matcher(part).matches() ? part : string(part);
    }

    /** {@code text} made safe inside a {@code #} comment: control characters (a newline would end it) shown escaped. */
    public static String comment(String text) {
        String quoted = string(text);
        return quoted.substring(1, quoted.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
    }
}
