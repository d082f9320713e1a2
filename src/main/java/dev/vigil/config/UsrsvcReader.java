package dev.vigil.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads a usrsvc configuration (configobj-style ini: {@code [Main]}, {@code [Program:NAME]},
 * {@code [DefaultSettings:NAME]}, {@code [[Env]]}, {@code [[Monitor]]}) into the same {@link Node} tree as TOML, with
 * usrsvc's names translated to Vigil's, so one validator checks both formats.
 *
 * <p>Translations that are more than a name: {@code config_dir} becomes an include of {@code DIR/*.cfg}; a plain
 * number as {@code rss_limit} is KiB (usrsvc compares it with the RSS in kB); commas separate several
 * {@code email_alerts} (and {@code requires}, {@code after}, {@code groups}, {@code success_exit_codes}) (configobj reads an unquoted comma as a list); an empty value is the same as no value (usrsvc
 * treats an empty proctitle_re, activityfile or stderr as unset).
 */
final class UsrsvcReader {
    private static final Pattern SECTION = Pattern.compile("\\[\\s*([^\\[\\]]*?)\\s*]");
    private static final Pattern SUBSECTION = Pattern.compile("\\[\\[\\s*([^\\[\\]]*?)\\s*]]");
    private static final Pattern DIGITS = Pattern.compile("\\d+");

    /** Keys whose value is a list: configobj reads an unquoted comma as a list separator. */
    private static final Set<String> LISTS = Stream.of(
                    Key.EMAIL_ALERTS, Key.REQUIRES, Key.AFTER, Key.GROUPS, Key.SUCCESS_EXIT_CODES)
            .map(k -> k.id)
            .collect(Collectors.toUnmodifiableSet());

    private final Path file;
    private final Problems problems;
    private final Node.Table root;
    private final Node.Table services;
    private final Node.Table defaults;

    /** Where keys go now, and the scope they are looked up in (null: [[Env]], any name); null before any section. */
    private Node.Table current;

    private Key.Scope scope;

    /** The [Program:] or [DefaultSettings:] section that subsections belong to; null in [Main]. */
    private Node.Table program;

    /** Inside an unknown section: its keys are not reported one by one. */
    private boolean skipping;

    private UsrsvcReader(Path file, Problems problems) {
        this.file = file;
        this.problems = problems;
        this.root = new Node.Table("", new Origin(file, 0), true);
        this.services = new Node.Table("Program", new Origin(file, 0), true);
        this.defaults = new Node.Table("DefaultSettings", new Origin(file, 0), true);
    }

    static Node.Table read(Path file, String text, Problems problems) {
        UsrsvcReader reader = new UsrsvcReader(file, problems);
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            reader.line(lines[i].strip(), i + 1);
        }
        if (!reader.services.entries().isEmpty()) {
            reader.root.entries().put(Key.SERVICE_TABLES.id, reader.services);
        }
        if (!reader.defaults.entries().isEmpty()) {
            reader.root.entries().put(Key.DEFAULTS_TABLES.id, reader.defaults);
        }
        return reader.root;
    }

    private void line(String s, int lineNr) {
        if (s.isEmpty() || s.startsWith("#")) {
            return;
        }
        Origin at = new Origin(file, lineNr);
        Matcher sub = SUBSECTION.matcher(s);
        Matcher section = SECTION.matcher(s);
        if (sub.matches()) {
            subsection(sub.group(1), at);
        } else if (section.matches()) {
            section(section.group(1), at);
        } else if (s.indexOf('=') > 0) {
            int eq = s.indexOf('=');
            value(s.substring(0, eq).strip(), s.substring(eq + 1).strip(), at);
        } else {
            problems.add(new ConfigError(
                    file, lineNr, "syntax", quote(s), "expected 'key = value', a [Section] or a [[Subsection]]"));
        }
    }

    private void section(String name, Origin at) {
        skipping = false;
        scope = Key.Scope.SERVICE;
        if (name.equals("Main")) {
            program = null;
            current = root;
            scope = Key.Scope.TOP;
        } else if (name.startsWith("Program:")) {
            program = define(services, "Program:", "service", name.substring(8), at);
            current = program;
        } else if (name.startsWith("DefaultSettings:")) {
            program = define(defaults, "DefaultSettings:", "defaults", name.substring(16), at);
            current = program;
        } else {
            unknown(
                    "[" + name + "]",
                    at,
                    "unknown section; usrsvc files have [Main], [Program:NAME] and [DefaultSettings:NAME]");
        }
    }

    private Node.Table define(Node.Table parent, String prefix, String kind, String name, Origin at) {
        Node.Table table = new Node.Table(prefix + name, at, true);
        Node previous = parent.entries().putIfAbsent(name, table);
        if (previous != null) {
            problems.twice(kind, name, previous.at(), at, table.key());
        }
        return table;
    }

    private void subsection(String name, Origin at) {
        Optional<Key> key = Key.find(Key.Scope.SERVICE, name, true).filter(k -> k == Key.ENV || k == Key.MONITOR);
        if (program == null || key.isEmpty()) {
            unknown(
                    "[[" + name + "]]",
                    at,
                    "unknown subsection; a [Program:NAME] or [DefaultSettings:NAME] section may have [[Env]] and"
                            + " [[Monitor]] (also spelt [[Monitoring]])");
            return;
        }
        Node.Table table = new Node.Table(program.key() + "." + name, at, true);
        if (program.entries().putIfAbsent(key.get().id, table) != null) {
            problems.at(table, "given twice in this section");
        }
        current = table;
        scope = key.get() == Key.ENV ? null : Key.Scope.MONITOR;
    }

    private void unknown(String section, Origin at, String rule) {
        problems.add(new ConfigError(file, at.line(), section, "", rule));
        current = null;
        skipping = true;
    }

    private void value(String name, String raw, Origin at) {
        if (skipping) {
            return;
        }
        if (current == null) {
            problems.add(new ConfigError(
                    file, at.line(), name, "", "a key outside a section; put it under [Main] or [Program:NAME]"));
            return;
        }
        String text = unquote(raw);
        if (text.isEmpty()) {
            return;
        }
        String id = scope == null
                ? name
                : Key.find(scope, name, true).map(k -> k.id).orElse(name);
        Node node = convert(id, (current == root ? "Main" : current.key()) + "." + name, text, at);
        Node previous = current.entries().putIfAbsent(id, node);
        if (previous != null) {
            problems.at(
                    node,
                    "set twice in this section (first at line " + previous.at().line() + ")");
        }
    }

    private Node convert(String id, String key, String text, Origin at) {
        if (scope == Key.Scope.TOP && id.equals(Key.INCLUDE.id)) {
            Path dir = file.toAbsolutePath().getParent().resolve(text);
            if (!Files.isDirectory(dir)) {
                Node node = new Node.Scalar(key, at, text, true);
                problems.at(node, "config_dir must be an existing directory; its *.cfg files are read");
            }
            return new Node.Array(key, at, List.of(new Node.Scalar(key, at, text + "/*.cfg", true)));
        }
        if (scope == Key.Scope.MONITOR
                && id.equals(Key.RSS_LIMIT.id)
                && DIGITS.matcher(text).matches()) {
            return new Node.Scalar(key, at, text + "K", true);
        }
        if (scope == Key.Scope.SERVICE && LISTS.contains(id) && text.contains(",")) {
            List<Node> items = new ArrayList<>();
            Arrays.stream(text.split(","))
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .forEach(s -> items.add(new Node.Scalar(key, at, s, true)));
            return new Node.Array(key, at, items);
        }
        return new Node.Scalar(key, at, text, true);
    }

    /** A value without its quotes, or without its trailing comment when unquoted (configobj's reading). */
    private static String unquote(String raw) {
        if (raw.length() >= 2 && (raw.charAt(0) == '"' || raw.charAt(0) == '\'')) {
            int end = raw.indexOf(raw.charAt(0), 1);
            if (end > 0) {
                return raw.substring(1, end);
            }
        }
        int hash = raw.indexOf('#');
        return (hash < 0 ? raw : raw.substring(0, hash)).strip();
    }

    private static String quote(String s) {
        return '"' + s + '"';
    }
}
