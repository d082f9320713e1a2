package dev.vigil.config;

import java.nio.file.Path;

/** A place in a configuration file: the file and a 1-based line (0 when unknown). */
public record Origin(Path file, int line) {
    @Override
    public String toString() {
        return line > 0 ? file + ":" + line : file.toString();
    }
}
