package dev.vigil.config.imports;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The options of an INI-style file as Python's configparser sees them: one value per option name (lower case), a
 * section's value winning over {@code [DEFAULT]}'s.
 *
 * @param file the file, as named on the command line
 * @param entries the options in file order, each name once
 */
public record IniFile(Path file, List<Entry> entries) {

    /**
     * One option.
     *
     * @param name the option's name in lower case (configparser ignores case)
     * @param value the value: stripped, continuation lines joined with a newline, one pair of surrounding quotes and
     *     an inline comment removed
     * @param line 1-based line of the option's name
     */
    public record Entry(String name, String value, int line) {}

    public IniFile {
        entries = List.copyOf(entries);
    }

    public Optional<Entry> get(String name) {
        return entries.stream().filter(e -> e.name().equals(name)).findFirst();
    }
}
