package dev.vigil.config.imports;

import java.nio.file.Path;
import java.util.List;

/**
 * The result of an import: the Vigil TOML, what became of each option, and the differences in behaviour that belong
 * to no single option.
 *
 * @param file the imported file
 * @param mappings every option XRootDRestart knows (set in the file or not), then every unknown one, in file order
 * @param notes differences that belong to no option, such as host key checking
 * @param toml the Vigil configuration, these notes at its top as comments
 */
public record Translation(Path file, List<Mapping> mappings, List<String> notes, String toml) {
    public Translation {
        mappings = List.copyOf(mappings);
        notes = List.copyOf(notes);
    }

    /** Every note a person should read: one per mapping that has one, then the others. */
    public List<String> messages() {
        java.util.ArrayList<String> all = new java.util.ArrayList<>();
        for (Mapping m : mappings) {
            if (!m.note().isEmpty()) {
                all.add(m.option() + " (" + m.where() + "): " + m.verdict().text + ": " + m.note());
            }
        }
        all.addAll(notes);
        return List.copyOf(all);
    }
}
