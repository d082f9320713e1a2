package dev.vigil.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The line of every key and table header in a TOML text. Jackson's TOML parser builds a tree before it streams it,
 * so its tokens carry no location (line -1); this index, built from the raw text of a file Jackson has already
 * accepted, supplies the lines. Keys inside multi-line arrays and inline tables get the line of their outer key.
 */
final class TomlLines {
    private final Map<List<String>, Integer> lines = new HashMap<>();

    /** Arrays of tables ({@code [[a.b]]}) seen so far, by path, with the number of their last element. */
    private final Map<List<String>, Integer> arrays = new HashMap<>();

    private TomlLines() {}

    static TomlLines index(String text) {
        TomlLines index = new TomlLines();
        index.scan(text.split("\r?\n", -1));
        return index;
    }

    /** The path part that stands for element {@code n} (from 1) of an array of tables. */
    static String index(int n) {
        return "[" + n + "]";
    }

    static boolean isIndex(String part) {
        return part.startsWith("[");
    }

    /** The line of {@code path}, or of its nearest ancestor that has one; 0 when none does. */
    int line(List<String> path) {
        for (int n = path.size(); n > 0; n--) {
            Integer line = lines.get(path.subList(0, n));
            if (line != null) {
                return line;
            }
        }
        return 0;
    }

    private void scan(String[] text) {
        List<String> table = List.of();
        Scanner state = new Scanner();
        for (int i = 0; i < text.length; i++) {
            int lineNr = i + 1;
            String line = text[i];
            if (state.busy()) {
                state.value(line, 0);
                continue;
            }
            String s = line.strip();
            if (s.isEmpty() || s.startsWith("#")) {
                continue;
            }
            Cursor c = new Cursor(s);
            if (s.startsWith("[")) {
                boolean array = s.startsWith("[[");
                c.pos = array ? 2 : 1;
                List<String> keys = c.keys();
                table = resolve(List.of(), array ? keys.subList(0, keys.size() - 1) : keys);
                if (array) {
                    table.add(keys.getLast());
                    table.add(index(arrays.merge(List.copyOf(table), 1, Integer::sum)));
                }
                record(table, lineNr, true);
            } else {
                List<String> path = resolve(table, c.keys());
                record(path, lineNr, false);
                state.value(s, c.pos);
            }
        }
    }

    /** {@code keys} below {@code table}, with the current element of each array of tables they pass through. */
    private List<String> resolve(List<String> table, List<String> keys) {
        List<String> path = new ArrayList<>(table);
        for (String key : keys) {
            path.add(key);
            Integer element = arrays.get(path);
            if (element != null) {
                path.add(index(element));
            }
        }
        return path;
    }

    /** Records the line of {@code path}, and of each ancestor not yet seen (implicit tables). */
    private void record(List<String> path, int line, boolean header) {
        for (int n = 1; n < path.size(); n++) {
            lines.putIfAbsent(List.copyOf(path.subList(0, n)), line);
        }
        if (header) {
            lines.putIfAbsent(List.copyOf(path), line);
        } else {
            lines.put(List.copyOf(path), line);
        }
    }

    /** Reads a dotted key from a position: bare, "basic" or 'literal' parts separated by dots. */
    private static final class Cursor {
        final String s;
        int pos;

        Cursor(String s) {
            this.s = s;
        }

        List<String> keys() {
            List<String> keys = new ArrayList<>();
            while (pos < s.length()) {
                skipBlanks();
                if (pos >= s.length()) {
                    break;
                }
                char c = s.charAt(pos);
                if (c == '"') {
                    keys.add(quoted('"'));
                } else if (c == '\'') {
                    keys.add(quoted('\''));
                } else {
                    int start = pos;
                    while (pos < s.length() && isBare(s.charAt(pos))) {
                        pos++;
                    }
                    keys.add(s.substring(start, pos));
                }
                skipBlanks();
                if (pos < s.length() && s.charAt(pos) == '.') {
                    pos++;
                } else {
                    break;
                }
            }
            if (pos < s.length() && (s.charAt(pos) == '=' || s.charAt(pos) == ']')) {
                pos++;
            }
            return keys;
        }

        private String quoted(char quote) {
            StringBuilder key = new StringBuilder();
            pos++;
            while (pos < s.length() && s.charAt(pos) != quote) {
                if (quote == '"' && s.charAt(pos) == '\\' && pos + 1 < s.length()) {
                    pos++;
                }
                key.append(s.charAt(pos++));
            }
            pos++;
            return key.toString();
        }

        private void skipBlanks() {
            while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) {
                pos++;
            }
        }

        private static boolean isBare(char c) {
            return Character.isLetterOrDigit(c) || c == '_' || c == '-';
        }
    }

    /** Follows strings and brackets through a value, so lines inside it are not taken for keys. */
    private static final class Scanner {
        int depth;
        String multiline;

        boolean busy() {
            return depth > 0 || multiline != null;
        }

        void value(String line, int from) {
            int i = from;
            while (i < line.length()) {
                if (multiline != null) {
                    int end = line.indexOf(multiline, i);
                    if (end < 0) {
                        return;
                    }
                    i = end + 3;
                    multiline = null;
                    continue;
                }
                char c = line.charAt(i);
                if (line.startsWith("\"\"\"", i) || line.startsWith("'''", i)) {
                    multiline = line.substring(i, i + 3);
                    i += 3;
                } else if (c == '"' || c == '\'') {
                    i = endOfString(line, i, c);
                } else if (c == '#') {
                    return;
                } else {
                    if (c == '[' || c == '{') {
                        depth++;
                    } else if (c == ']' || c == '}') {
                        depth--;
                    }
                    i++;
                }
            }
        }

        private static int endOfString(String line, int open, char quote) {
            int i = open + 1;
            while (i < line.length() && line.charAt(i) != quote) {
                i += quote == '"' && line.charAt(i) == '\\' ? 2 : 1;
            }
            return i + 1;
        }
    }
}
