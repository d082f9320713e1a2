package dev.vigil.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.config.ConfigLoader;
import dev.vigil.config.VigilConfig;
import dev.vigil.fleet.Inventory;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code vigil setup init}'s templates load with Vigil's own loader, say what each key is, and never overwrite. */
class SetupInitTemplatesTest {
    @TempDir
    Path dir;

    private VigilConfig written(InitTemplates.Use use) throws Exception {
        Path file = dir.resolve("etc/vigil/vigil.toml");
        InitTemplates.write(use, file);
        return ConfigLoader.load(file, Map.of(), false, dir.resolve("home"));
    }

    @ParameterizedTest
    @EnumSource(InitTemplates.Use.class)
    void everyTemplate_loadsWithVigilsLoader(InitTemplates.Use use) throws Exception {
        VigilConfig config = written(use);

        assertThat(config.services().size() + config.rollouts().size()).isPositive();
    }

    @ParameterizedTest
    @EnumSource(InitTemplates.Use.class)
    void everyKeyLine_hasACommentAboveIt_orIsATableHeader(InitTemplates.Use use) {
        String text = InitTemplates.text(use, dir.resolve("vigil.toml"));
        String previous = "";
        for (String line : text.lines().toList()) {
            if (!line.isBlank() && !line.startsWith("#") && !line.startsWith("[") && previous.isBlank()) {
                throw new AssertionError("key without a comment above it in the " + use + " template: " + line);
            }
            previous = line;
        }
    }

    @Test
    void theXrootdTemplate_namesItsUnits_andPutsVigilsFilesNextToTheConfig() throws Exception {
        VigilConfig config = written(InitTemplates.Use.XROOTD);

        assertThat(config.rollout("xrd").orElseThrow().healthy())
                .containsExactly("xrootd@cluster.service", "cmsd@cluster.service");
        assertThat(config.settings().ssh().keys()).containsExactly(dir.resolve("etc/vigil/id_ed25519"));
        assertThat(config.settings().ssh().knownHosts()).containsExactly(dir.resolve("etc/vigil/known_hosts"));
        assertThat(config.settings().ssh().sudo()).isTrue();
        assertThat(config.inventory().hosts()).extracting(Inventory.Host::name).contains("rdr.example.org");
    }

    @Test
    void anExistingFile_isNeverOverwritten() throws Exception {
        Path file = Files.writeString(dir.resolve("vigil.toml"), "# mine\n");

        assertThatThrownBy(() -> InitTemplates.write(InitTemplates.Use.FLEET, file))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(file)).isEqualTo("# mine\n");
    }

    @Test
    void anUnknownUse_isRefusedWithTheChoices() {
        assertThatThrownBy(() -> InitTemplates.Use.parse("docker"))
                .hasMessage("--use is \"docker\"; expected local (services on this machine), fleet (services on hosts"
                        + " over SSH) or xrootd (rolling restarts of XRootD)");
    }
}
