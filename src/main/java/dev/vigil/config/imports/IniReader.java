package dev.vigil.config.imports;

import dev.vigil.config.ConfigError;
import dev.vigil.config.ConfigException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an INI file the way Python's configparser does, and a little more liberally: {@code [SECTION]} headers
 * (options before the first one are accepted too), {@code name = value} or {@code name: value}, names in any case,
 * {@code #} and {@code ;} comment lines, indented continuation lines, and, beyond configparser, an inline
 * {@code  # comment} and one pair of quotes around a value removed (XRootDRestart passed values such as
 * {@code 'cmsd@cluster'} to a shell, which removed them). What cannot be read is an error with its line; every error
 * of the file is reported together.
 */
public final class IniReader {
    private static final Pattern SECTION = Pattern.compile("\\[([^\\[\\]]+)]\\s*(?:[#;].*)?");
    private static final Pattern INLINE_COMMENT = Pattern.compile("[ \\t]+[#;].*$", Pattern.MULTILINE);
    private static final String DEFAULT_SECTION = "DEFAULT";

    private final Path file;
    private final List<ConfigError> errors = new ArrayList<>();
    /** Per option, the value from [DEFAULT] and from the other sections; a section's wins. */
    private final Map<String, Value> defaults = new LinkedHashMap<>();

    private final Map<String, Value> sections = new LinkedHashMap<>();
    private String section = DEFAULT_SECTION;
    /** The option continuation lines add to; null after a section header. */
    private Value current;

    private IniReader(Path file) {
        this.file = file;
    }

    /** The options of {@code bytes}, the contents of {@code file}. */
    public static IniFile read(Path file, byte[] bytes) throws ConfigException {
        IniReader reader = new IniReader(file);
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(
                    List.of(new ConfigError(file, 0, "", "", "not UTF-8 text: is it the conf file?")));
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        String[] lines = text.split("\r?\n|\r", -1);
        for (int i = 0; i < lines.length; i++) {
            reader.line(lines[i], i + 1);
        }
        if (!reader.errors.isEmpty()) {
            throw new ConfigException(reader.errors);
        }
        Map<String, Value> all = new LinkedHashMap<>(reader.defaults);
        all.putAll(reader.sections);
        return new IniFile(
                file,
                all.values().stream()
                        .sorted(java.util.Comparator.comparingInt(Value::line))
                        .map(Value::entry)
                        .toList());
    }

    private void line(String raw, int nr) {
        String s = raw.strip();
        if (s.isEmpty() || s.startsWith("#") || s.startsWith(";")) {
            return;
        }
        boolean indented = Character.isWhitespace(raw.charAt(0));
        if (indented && current != null) {
            current.text.append('\n').append(s);
            return;
        }
        if (s.startsWith("[")) {
            Matcher m = SECTION.matcher(s);
            if (!m.matches()) {
                error(nr, "", s, "a section header such as [xrootdrestart], on a line of its own");
                return;
            }
            section = m.group(1).strip();
            current = null;
            return;
        }
        int eq = s.indexOf('=');
        int colon = s.indexOf(':');
        int at = eq < 0 ? colon : colon < 0 ? eq : Math.min(eq, colon);
        if (at < 0) {
            error(nr, "", s, "an option such as \"min_ok = 1\" or \"min_ok: 1\", a [section] header or a # comment");
            current = null;
            return;
        }
        String name = s.substring(0, at).strip().toLowerCase(Locale.ROOT);
        if (name.isEmpty()) {
            error(nr, "", s, "an option name before '" + s.charAt(at) + "'");
            current = null;
            return;
        }
        Value value = new Value(name, nr, new StringBuilder(s.substring(at + 1).strip()));
        Map<String, Value> into = section.equals(DEFAULT_SECTION) ? defaults : sections;
        Value first = into.putIfAbsent(name, value);
        if (first != null) {
            error(nr, name, "", "set twice: first at line " + first.line + " (configparser refuses that); keep one");
        }
        current = value;
    }

    private void error(int line, String key, String found, String rule) {
        errors.add(new ConfigError(file, line, key, found.isEmpty() ? "" : TomlText.string(found), rule));
    }

    /** An option being read: its value grows with continuation lines. */
    private record Value(String name, int line, StringBuilder text) {
        IniFile.Entry entry() {
            return new IniFile.Entry(name, clean(text.toString()), line);
        }
    }

    /** The value without an inline comment and without one pair of surrounding quotes. */
    static String clean(String value) {
        String v = value.strip();
        boolean quoted = v.length() >= 2
                && (v.charAt(0) == '\'' || v.charAt(0) == '"')
                && v.indexOf(v.charAt(0), 1) == v.length() - 1;
        if (!quoted) {
            v = INLINE_COMMENT.matcher(v).replaceAll("").strip();
        } else {
            return v.substring(1, v.length() - 1);
        }
        if (v.length() >= 2 && (v.charAt(0) == '\'' || v.charAt(0) == '"') && v.charAt(v.length() - 1) == v.charAt(0)) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }
}
