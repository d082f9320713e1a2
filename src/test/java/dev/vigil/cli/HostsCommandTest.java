package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil hosts}: the inventory as a table or JSON, filtered by a class expression. */
class HostsCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path config;

    @BeforeEach
    void writeConfig() throws IOException {
        config = Files.writeString(dir.resolve("vigil.toml"), """
                state_dir = "%s"

                [host.web]
                address = "10.0.0.7"
                user = "deploy"
                classes = ["frontend"]

                [host."xrd[01-03].example.org"]
                port = 2222

                [hostgroup.storage]
                hosts = ["xrd[02-03].example.org"]
                classes = ["storage"]
                """.formatted(dir.resolve("state")));
    }

    private CliRun vigil(String... args) {
        String[] full = new String[args.length + 2];
        full[0] = "--config";
        full[1] = config.toString();
        System.arraycopy(args, 0, full, 2, args.length);
        return CliRun.of(full);
    }

    @Test
    void table_listsEveryHost() {
        CliRun run = vigil("hosts");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out().lines().toList())
                .containsExactly(
                        "NAME               ADDRESS            PORT  USER    CLASSES",
                        "web                10.0.0.7           22    deploy  frontend,web",
                        "xrd01.example.org  xrd01.example.org  2222  -       xrd01",
                        "xrd02.example.org  xrd02.example.org  2222  -       storage,xrd02",
                        "xrd03.example.org  xrd03.example.org  2222  -       storage,xrd03");
    }

    @Test
    void classAndJson_selectHosts() throws Exception {
        CliRun run = vigil("hosts", "--class", "storage | frontend & !xrd03", "--json");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode hosts = JSON.readTree(run.out());
        assertThat(hosts.findValuesAsText("name")).containsExactly("web", "xrd02.example.org", "xrd03.example.org");
        assertThat(hosts.get(0).get("user").asText()).isEqualTo("deploy");
        assertThat(hosts.get(1).get("user").isNull()).isTrue();
        assertThat(hosts.get(1).get("port").asInt()).isEqualTo(2222);
        assertThat(hosts.get(1).get("classes").toString()).isEqualTo("[\"any\",\"storage\",\"xrd02\"]");
    }

    @Test
    void badExpression_exits2_withTheParsersMessage() {
        CliRun run = vigil("hosts", "--class", "web&(dns");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("unexpected end at column 9 in 'web&(dns'; expected ')'");
    }

    @Test
    void checkConfig_countsTheHosts() throws Exception {
        CliRun check = vigil("check-config");
        assertThat(check.exitCode()).as(check.toString()).isZero();
        assertThat(check.out()).contains("0 services, 4 hosts)");

        CliRun json = vigil("check-config", "--json");
        assertThat(JSON.readTree(json.out()).get("hosts")).hasSize(4);
    }
}
