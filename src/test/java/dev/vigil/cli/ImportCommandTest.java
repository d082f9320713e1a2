package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil import xrootdrestart} in this JVM: what it prints where, what it writes, its exit codes. */
class ImportCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DEFAULTS = Path.of("src/test/resources/import/xrootdrestart-defaults.conf");

    @TempDir
    Path dir;

    @Test
    void printsTheTomlOnStdoutAndTheNotesOnStderr() {
        CliRun run = CliRun.of("import", "xrootdrestart", DEFAULTS.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out())
                .startsWith("# Vigil configuration made by `vigil import xrootdrestart` from\n# "
                        + DEFAULTS.toAbsolutePath() + "\n")
                .contains("\n[rollout.xrootd]\n")
                .contains("\n[host.\"xrd01.example.org\"]");
        assertThat(run.err())
                .contains("note: min_ok (line 11): changed meaning: ")
                .contains("note: cluster_id (line 4): not needed: ")
                .contains("note: [ssh] host_keys = \"strict\"");
    }

    @Test
    void writesANewOutputFileAndNeverOverwritesOne() throws Exception {
        Path out = dir.resolve("vigil.toml");

        CliRun first = CliRun.of("import", "xrootdrestart", "--output", out.toString(), DEFAULTS.toString());
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).isEmpty();
        assertThat(first.err()).contains("wrote " + out);
        assertThat(Files.readString(out)).contains("\n[rollout.xrootd]\n");

        Files.writeString(out, "mine\n");
        CliRun second = CliRun.of("import", "xrootdrestart", "--output", out.toString(), DEFAULTS.toString());
        assertThat(second.exitCode()).as(second.toString()).isEqualTo(ExitCodes.INVALID_ARGUMENTS);
        assertThat(second.err()).contains("--output " + out + " exists; it is not overwritten");
        assertThat(Files.readString(out)).isEqualTo("mine\n");
    }

    @Test
    void jsonHasTheMappingTheNotesAndTheToml() throws Exception {
        CliRun run = CliRun.of("import", "xrootdrestart", "--json", DEFAULTS.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.err()).isEmpty();
        JsonNode json = JSON.readTree(run.out());
        assertThat(json.get("ok").asBoolean()).isTrue();
        assertThat(json.get("toml").asText()).contains("[rollout.xrootd]");
        JsonNode minOk = null;
        for (JsonNode option : json.get("options")) {
            if (option.get("option").asText().equals("min_ok")) {
                minOk = option;
            }
        }
        assertThat(minOk).isNotNull();
        assertThat(minOk.get("line").asInt()).isEqualTo(11);
        assertThat(minOk.get("verdict").asText()).isEqualTo("changed meaning");
        assertThat(minOk.get("vigil").asText()).isEqualTo("rollout.xrootd.min_ok");
        assertThat(json.get("notes").size()).isEqualTo(3);
    }

    @Test
    void aFileThatCannotBeReadExits6WithFileAndLine() throws Exception {
        Path bad = dir.resolve("xrootdrestart.conf");
        Files.writeString(bad, "[DEFAULT]\nservers = xrd01\nmin_ok = many\n");

        CliRun run = CliRun.of("import", "xrootdrestart", bad.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.NOT_CONFIGURED);
        assertThat(run.out()).isEmpty();
        assertThat(run.err())
                .contains("cannot be imported (1 error); nothing was written")
                .contains(bad + ":3: min_ok: a whole number");

        CliRun json = CliRun.of("import", "xrootdrestart", "--json", bad.toString());
        assertThat(json.exitCode()).isEqualTo(ExitCodes.NOT_CONFIGURED);
        assertThat(JSON.readTree(json.out()).get("errors").get(0).get("line").asInt())
                .isEqualTo(3);

        CliRun missing =
                CliRun.of("import", "xrootdrestart", dir.resolve("nope.conf").toString());
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.NOT_CONFIGURED);
        assertThat(missing.err()).contains("no such file");
    }

    @Test
    void badArgumentsExit2() {
        assertThat(CliRun.of("import", "xrootdrestart").exitCode()).isEqualTo(ExitCodes.INVALID_ARGUMENTS);
        assertThat(CliRun.of("import").exitCode()).isEqualTo(ExitCodes.INVALID_ARGUMENTS);
        assertThat(CliRun.of("import", "usrsvc", "x").exitCode()).isEqualTo(ExitCodes.INVALID_ARGUMENTS);
        assertThat(CliRun.of("import", "xrootdrestart", "--bogus", "x").exitCode())
                .isEqualTo(ExitCodes.INVALID_ARGUMENTS);
    }
}
