package dev.vigil.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Containerfile {@code vigil install container} writes. No container engine runs here (docker answers --version
 * but has no daemon), so the image is not built: the file's content is checked, and linted with npm's dockerfilelint
 * and dockerfile-utils when they are installed in /var/cache/vigil-npm (.ci/run installs them) or in
 * {@code -Dvigil.npm=DIR}.
 */
class ContainerImageTest {
    private static final Path NPM = Path.of(System.getProperty("vigil.npm", "/var/cache/vigil-npm"));

    @TempDir
    Path dir;

    private final ContainerImage image = new ContainerImage("0.1.0-SNAPSHOT");

    @Test
    void render_hasTheBaseImage_theNonRootUser_theVolumes_thePort_theHealthcheck_andTheEntrypoint() {
        List<String> lines = image.render().lines().toList();

        assertThat(lines)
                .contains("FROM eclipse-temurin:25-jre")
                .contains("RUN groupadd --system --gid 10001 vigil \\")
                .contains(
                        "    && useradd --system --uid 10001 --gid vigil --home-dir /var/lib/vigil --no-create-home \\")
                .contains("COPY bin/vigil /opt/vigil/bin/vigil", "COPY vigil.jar /opt/vigil/vigil.jar")
                .contains("COPY lib/ /opt/vigil/lib/")
                .contains("VOLUME [\"/etc/vigil\", \"/var/lib/vigil\"]")
                .contains("EXPOSE 9839")
                .contains("USER vigil")
                .contains("    CMD [\"test\", \"-S\", \"/var/lib/vigil/control.sock\"]")
                .contains("ENTRYPOINT [\"vigil\", \"daemon\"]");
        // USER comes before the entrypoint: the daemon never runs as root
        assertThat(lines.indexOf("USER vigil")).isLessThan(lines.indexOf("ENTRYPOINT [\"vigil\", \"daemon\"]"));
        assertThat(image.render()).contains("metrics_listen = \"0.0.0.0:9839\"").doesNotContain("ADD ");
        assertThat(image.render()).isEqualTo(new ContainerImage("0.1.0-SNAPSHOT").render());
    }

    @Test
    void commands_mountTheConfigAndTheSshFilesReadOnly_stateAsANamedVolume_restartAlways() {
        assertThat(image.buildCommand("podman", Path.of("/x/Containerfile"), Path.of("/usr/share/vigil")))
                .containsExactly(
                        "podman", "build", "-t", "vigil:0.1.0-SNAPSHOT", "-f", "/x/Containerfile", "/usr/share/vigil");
        List<String> run =
                image.runCommand("docker").stream().flatMap(List::stream).toList();
        assertThat(run)
                .startsWith("docker", "run", "-d")
                .contains("--restart=always", "--init")
                .contains("/etc/vigil/vigil.toml:/etc/vigil/vigil.toml:ro")
                .contains("/etc/vigil/id_ed25519:/etc/vigil/id_ed25519:ro")
                .contains("/etc/vigil/known_hosts:/etc/vigil/known_hosts:ro")
                .contains("vigil-state:/var/lib/vigil", "127.0.0.1:9839:9839")
                .endsWith("vigil:0.1.0-SNAPSHOT");
    }

    @Test
    void write_refusesAnExistingFile_unlessForced() throws Exception {
        assertThat(image.write(dir.resolve("new"), false)).isFalse();
        assertThat(dir.resolve("new/Containerfile")).hasContent(image.render().stripTrailing());

        Path mine = dir.resolve("Containerfile");
        Files.writeString(mine, "FROM mine\n");
        assertThatThrownBy(() -> image.write(dir, false))
                .isInstanceOf(InstallException.class)
                .hasMessageContaining(mine + " exists; nothing written")
                .hasMessageContaining("--force");
        assertThat(mine).hasContent("FROM mine");
        assertThat(image.write(dir, true)).isTrue();
        assertThat(mine).content().startsWith("# Containerfile for Vigil 0.1.0-SNAPSHOT");
        assertThat(Files.getPosixFilePermissions(mine))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    }

    @Test
    void aVersionThatCannotBeATag_isRefused() {
        assertThatThrownBy(() -> new ContainerImage("1.0 beta")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void dockerfilelint_findsNothing() throws Exception {
        assertThat(lint("dockerfilelint")).endsWith("Issues: None found 👍");
    }

    @Test
    void dockerfileUtilsLint_findsNothing() throws Exception {
        assertThat(lint("dockerfile-utils", "lint")).isEqualTo("");
    }

    /** Runs an npm linter on the Containerfile; the test is skipped when it is not installed. */
    private String lint(String tool, String... args) throws Exception {
        Path bin = NPM.resolve("node_modules/.bin").resolve(tool);
        assumeTrue(
                Files.isExecutable(bin),
                tool + " is not installed in " + NPM + " (npm install --prefix " + NPM
                        + " dockerfilelint dockerfile-utils)");
        image.write(dir, false);
        List<String> argv = new java.util.ArrayList<>(List.of(bin.toString()));
        argv.addAll(List.of(args));
        argv.add(dir.resolve(ContainerImage.FILE_NAME).toString());
        Path out = dir.resolve("lint.txt");
        Process process = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String report = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(report).isZero();
        return report.strip();
    }
}
