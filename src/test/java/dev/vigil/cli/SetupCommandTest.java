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

/** {@code vigil setup} as the command line parses and prints it; the hosts themselves are SetupIT's. */
class SetupCommandTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    private static Run vigil(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void init_writesTheTemplate_thenRefusesToOverwriteIt() throws Exception {
        Path file = dir.resolve("vigil.toml");

        Run first = vigil("setup", "init", "--use", "fleet", "--output", file.toString());
        Run second = vigil("setup", "init", "--use", "xrootd", "--output", file.toString());

        assertThat(first.code()).isZero();
        assertThat(first.out()).startsWith("wrote " + file + " (use fleet)\nNext:\n");
        assertThat(second.code()).isEqualTo(1);
        assertThat(second.err())
                .isEqualTo("vigil: " + file + " exists already; 'setup init' never overwrites a configuration: edit"
                        + " it, move it away, or pass --output OTHER_FILE\n");
        assertThat(Files.readString(file)).contains("'vigil setup init --use fleet'");
        assertThat(vigil("-c", file.toString(), "check-config").code()).isZero();
    }

    @Test
    void init_withAnUnknownUse_exits2() {
        Run run = vigil(
                "setup",
                "init",
                "--use",
                "docker",
                "--output",
                dir.resolve("x.toml").toString());

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).startsWith("vigil: --use is \"docker\"; expected local");
        assertThat(dir.resolve("x.toml")).doesNotExist();
    }

    @Test
    void hosts_withoutAServiceUser_failsAtTheConfig_andSaysWhatToSet() throws Exception {
        Path config = Files.writeString(
                dir.resolve("vigil.toml"),
                "[ssh]\nkeys = [\"" + dir.resolve("id") + "\"]\n[host.h1]\naddress = \"192.0.2.1\"\n");

        Run run = vigil("-c", config.toString(), "setup", "hosts", "--json");

        assertThat(run.code()).isEqualTo(1);
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.get("ok").asBoolean()).isFalse();
        assertThat(json.get("steps").get(0).get("outcome").asText()).isEqualTo("failed");
        assertThat(json.get("steps").get(0).get("detail").asText())
                .startsWith("no service user for h1: set user in [ssh] of " + config);
        assertThat(dir.resolve("id"))
                .as("no key pair made for a run that cannot go on")
                .doesNotExist();
    }

    @Test
    void hosts_withAHostileFromAddress_exits2() throws Exception {
        Path config = Files.writeString(
                dir.resolve("vigil.toml"), "[ssh]\nuser = \"vigilops\"\n[host.h1]\naddress = \"192.0.2.1\"\n");

        Run run = vigil("-c", config.toString(), "setup", "hosts", "--from", "1.2.3.4\",command=\"sh");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("--from is '1.2.3.4\",command=\"sh'; expected an IP address or a CIDR block");
    }
}
