package dev.vigil.config;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads the main file and everything it includes ({@code include} globs in TOML, {@code config_dir} in usrsvc), depth
 * first, in sorted order. A glob that matches nothing is fine (an empty conf.d); a plain path that is not there, and
 * an include cycle, are errors. A file reached twice without a cycle is read once.
 */
final class FileSet {
    /** One file as read: its path and root table. */
    record Parsed(Path file, Node.Table root) {}

    private final Problems problems;
    private final List<Parsed> files = new ArrayList<>();
    private final Set<Path> seen = new HashSet<>();
    private final Deque<Path> stack = new ArrayDeque<>();

    private FileSet(Problems problems) {
        this.problems = problems;
    }

    static List<Parsed> read(Path main, Problems problems) {
        FileSet set = new FileSet(problems);
        set.readFile(main, null);
        return set.files;
    }

    private void readFile(Path file, Node includedBy) {
        Path real;
        String text;
        try {
            real = file.toRealPath();
            if (stack.contains(real)) {
                cycle(real, includedBy);
                return;
            }
            if (!seen.add(real)) {
                return;
            }
            text = Files.readString(file);
        } catch (MalformedInputException e) {
            problems.add(new ConfigError(file, 0, "file", "", "must be UTF-8 text"));
            return;
        } catch (IOException e) {
            problems.add(new ConfigError(file, 0, "file", "", "cannot be read: " + e));
            return;
        }
        boolean usrsvc = isUsrsvc(file, text);
        Node.Table root = usrsvc
                ? UsrsvcReader.read(file, text, problems)
                : TomlReader.read(file, text, problems).orElse(null);
        if (root == null) {
            return;
        }
        files.add(new Parsed(file, root));
        stack.push(real);
        Node include = root.entries().get(Key.INCLUDE.id);
        if (include != null) {
            new Fields(root, problems)
                    .strings(Key.INCLUDE)
                    .ifPresent(patterns -> patterns.forEach(p -> include(file.getParent(), p, include)));
        }
        stack.pop();
    }

    private void include(Path dir, String pattern, Node node) {
        if (pattern.chars().noneMatch(c -> "*?[{".indexOf(c) >= 0)) {
            Path file = dir.resolve(pattern).normalize();
            if (Files.isRegularFile(file)) {
                readFile(file, node);
            } else {
                problems.at(
                        node,
                        "included file " + file + " does not exist; fix the path, or use a glob such as"
                                + " \"conf.d/*.toml\" (a glob may match nothing)");
            }
            return;
        }
        try {
            for (Path file : glob(dir, pattern)) {
                readFile(file, node);
            }
        } catch (IOException e) {
            problems.at(node, "a glob Vigil can expand; listing its directory failed: " + e);
        }
    }

    /** The regular files matching {@code pattern} (relative to {@code dir} unless absolute), sorted. */
    private static List<Path> glob(Path dir, String pattern) throws IOException {
        Path full = dir.resolve(pattern).normalize();
        Path base = full.getRoot();
        int fixed = 0;
        while (fixed < full.getNameCount()
                && full.getName(fixed).toString().chars().noneMatch(c -> "*?[{".indexOf(c) >= 0)) {
            base = base.resolve(full.getName(fixed).toString());
            fixed++;
        }
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        String rest = full.subpath(fixed, full.getNameCount()).toString();
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + rest);
        Path start = base;
        try (Stream<Path> walk = Files.walk(start, full.getNameCount() - fixed)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> matcher.matches(start.relativize(p)))
                    .sorted()
                    .toList();
        }
    }

    private void cycle(Path real, Node includedBy) {
        List<String> chain = new ArrayList<>();
        stack.descendingIterator()
                .forEachRemaining(p -> chain.add(p.getFileName().toString()));
        chain.add(real.getFileName().toString());
        int from = chain.indexOf(real.getFileName().toString());
        problems.at(
                includedBy,
                "include cycle: " + String.join(" -> ", chain.subList(from, chain.size()))
                        + "; remove one of these includes");
    }

    /** usrsvc format: a .cfg file, or one whose first section is usrsvc's; everything else is TOML. */
    static boolean isUsrsvc(Path file, String text) {
        if (file.getFileName().toString().endsWith(".cfg")) {
            return true;
        }
        return text.lines()
                .map(String::strip)
                .filter(s -> s.startsWith("["))
                .findFirst()
                .map(s -> s.startsWith("[Main]") || s.startsWith("[Program:") || s.startsWith("[DefaultSettings:"))
                .orElse(false);
    }
}
