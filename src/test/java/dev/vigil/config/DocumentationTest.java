package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The configuration reference cannot fall behind the code: every key, Vigil's and usrsvc's, is in it. */
class DocumentationTest {
    @Test
    void everyKey_isDocumented() throws IOException {
        String doc = Files.readString(Path.of("docs/configuration.md"));
        List<String> missing = new ArrayList<>();
        for (Key key : Key.values()) {
            if (!doc.contains("`" + key.id + "`")) {
                missing.add(key.id);
            }
            // usrsvc's subsections (Env, Monitor) are documented as they are written: `[[Env]]`.
            key.usrsvc.stream()
                    .filter(n -> !doc.contains("`" + n + "`") && !doc.contains("`[[" + n + "]]`"))
                    .forEach(missing::add);
        }
        assertThat(missing).as("keys missing from docs/configuration.md").isEmpty();
    }
}
