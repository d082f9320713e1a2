package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vigil install systemd} through picocli. It runs {@link InstallCommand} as the top command, since VigilCommand
 * registers it separately; picocli's defaults give the same exit codes as Main (2 for bad arguments).
 */
class InstallCommandTest {
    private static final String LAUNCHER = "/opt/vigil/bin/vigil";

    @TempDir
    Path root;

    private CliRun install(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new InstallCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    private Path systemUnit() {
        return root.resolve("etc/systemd/system/vigil.service");
    }

    @Test
    void systemd_writesTheUnit_andPrintsTheNextSteps() {
        CliRun run = install("systemd", "--root", root.toString(), "--launcher", LAUNCHER);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(systemUnit()).content().contains("ExecStart=" + LAUNCHER + " daemon");
        assertThat(run.out())
                .isEqualTo("created " + systemUnit() + "\n"
                        + "Next, run:\n"
                        + "  systemctl daemon-reload\n"
                        + "      systemd reads unit files only at start and when told to\n"
                        + "  systemctl enable --now vigil\n"
                        + "      starts Vigil now and at every boot\n");
    }

    @Test
    void changedFile_exits1_withTheReason_andForceReplacesIt() throws Exception {
        Files.createDirectories(systemUnit().getParent());
        Files.writeString(systemUnit(), "mine\n");

        CliRun refused = install("systemd", "--root", root.toString(), "--launcher", LAUNCHER);
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.GENERIC_FAILURE);
        assertThat(refused.err()).startsWith("vigil: " + systemUnit() + " exists and differs");
        assertThat(systemUnit()).hasContent("mine");

        CliRun forced = install("systemd", "--root", root.toString(), "--launcher", LAUNCHER, "--force");
        assertThat(forced.exitCode()).as(forced.toString()).isZero();
        assertThat(systemUnit()).content().contains("KillMode=process");
    }

    @Test
    void dryRun_printsTheUnitAndWhereItGoes_andWritesNothing() throws Exception {
        CliRun run = install("systemd", "--template", "--dry-run", "--root", root.toString(), "--launcher", LAUNCHER);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        Path template = root.resolve("etc/systemd/system/vigil@.service");
        assertThat(run.out())
                .startsWith("# " + template + "\n# vigil@.service: ")
                .contains("User=%i\n")
                .contains("would create " + template + "\nThen run:\n");
        try (var anything = Files.list(root)) {
            assertThat(anything).isEmpty();
        }
    }

    @Test
    void json_describesWhatWasWritten() throws Exception {
        CliRun run = install("systemd", "--user", "--json", "--root", root.toString(), "--launcher", LAUNCHER);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.get("ok").asBoolean()).isTrue();
        assertThat(json.get("action").asText()).isEqualTo("created");
        assertThat(json.get("path").asText()).endsWith("/.config/systemd/user/vigil.service");
        assertThat(json.get("content").asText()).contains("WantedBy=default.target");
        assertThat(json.get("next_steps").get(2).get("command").asText()).startsWith("loginctl enable-linger ");
    }

    @Test
    void launcher_defaultsToTheOneBinVigilReports() {
        String before = System.getProperty(InstallCommand.LAUNCHER_PROPERTY);
        System.setProperty(InstallCommand.LAUNCHER_PROPERTY, "/usr/local/vigil/bin/vigil");
        try {
            CliRun run = install("systemd", "--root", root.toString());
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(systemUnit()).content().contains("ExecStart=/usr/local/vigil/bin/vigil daemon");
        } finally {
            if (before == null) {
                System.clearProperty(InstallCommand.LAUNCHER_PROPERTY);
            } else {
                System.setProperty(InstallCommand.LAUNCHER_PROPERTY, before);
            }
        }
    }

    @Test
    void noLauncherKnown_exits2() {
        String before = System.clearProperty(InstallCommand.LAUNCHER_PROPERTY);
        try {
            CliRun run = install("systemd", "--root", root.toString());
            assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_ARGUMENTS);
            assertThat(run.err())
                    .startsWith("no launcher path: run this through bin/vigil, or say where it is installed with"
                            + " --launcher /absolute/path/to/bin/vigil");
        } finally {
            if (before != null) {
                System.setProperty(InstallCommand.LAUNCHER_PROPERTY, before);
            }
        }
    }

    @Test
    void relativeLauncher_exits2_andWritesNothing() throws Exception {
        CliRun run = install("systemd", "--root", root.toString(), "--launcher", "bin/vigil");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_ARGUMENTS);
        assertThat(run.err()).startsWith("launcher path must be absolute");
        try (var anything = Files.list(root)) {
            assertThat(anything).isEmpty();
        }
    }

    @Test
    void userAndTemplate_exit2() {
        CliRun run = install("systemd", "--user", "--template", "--launcher", LAUNCHER);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_ARGUMENTS);
        assertThat(run.err()).startsWith("--user and --template exclude each other");
    }

    @Test
    void installAlone_exits2() {
        assertThat(install().exitCode()).isEqualTo(ExitCodes.INVALID_ARGUMENTS);
    }

    @Test
    void container_writesTheContainerfile_printsBuildAndRun_andRefusesToOverwriteWithoutForce() throws Exception {
        Path context = root.resolve("vigil-install");
        CliRun run = install("container", "--output", root.toString(), "--context", context.toString());

        Path file = root.resolve("Containerfile");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(file).content().contains("ENTRYPOINT [\"vigil\", \"daemon\"]");
        assertThat(run.out())
                .startsWith("created " + file + "\n")
                .contains("  podman build -t vigil:dev -f " + file + " " + context + "\n")
                .contains(context + " has no vigil.jar")
                .contains("  podman run -d \\\n    --name vigil \\\n    --restart=always \\\n")
                .contains("    -v /etc/vigil/vigil.toml:/etc/vigil/vigil.toml:ro \\\n")
                .contains("    -v vigil-state:/var/lib/vigil \\\n")
                .contains("    vigil:dev\n")
                .contains("With docker:")
                .contains("metrics_listen = \"0.0.0.0:9839\"");

        Files.writeString(file, "FROM mine\n");
        CliRun refused = install("container", "--output", root.toString());
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.GENERIC_FAILURE);
        assertThat(refused.err()).startsWith("vigil: " + file + " exists; nothing written");
        assertThat(file).hasContent("FROM mine");

        CliRun forced = install("container", "--output", root.toString(), "--force");
        assertThat(forced.exitCode()).as(forced.toString()).isZero();
        assertThat(forced.out()).startsWith("replaced " + file + "\n");
        assertThat(file).content().startsWith("# Containerfile for Vigil dev");
    }
}
