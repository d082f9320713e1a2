package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI end to end in this JVM: real config files, real processes, real signals. */
class CliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path config;
    private final List<String> services = new ArrayList<>();

    @BeforeEach
    void writeConfig() throws IOException {
        config = dir.resolve("vigil.toml");
        StringBuilder toml = new StringBuilder("state_dir = \"" + dir.resolve("state") + "\"\n");
        for (String name : List.of("alpha", "beta", "gamma")) {
            services.add(name);
            toml.append("\n[service.")
                    .append(name)
                    .append("]\n")
                    .append("command = [\"/bin/sleep\", \"1000")
                    .append(name.length())
                    .append(name.charAt(0) - 'a')
                    .append("\"]\n")
                    .append("success_seconds = \"0.3s\"\n")
                    .append("term_to_kill_seconds = \"2s\"\n");
        }
        toml.append("""

                [service.off]
                enabled = false
                command = ["/bin/sleep", "999"]

                [service.unit]
                driver = "systemd"
                unit = "nginx.service"
                """);
        Files.writeString(config, toml);
    }

    @AfterEach
    void stopEverything() {
        vigil("stop", "all");
    }

    private CliRun vigil(String... args) {
        String[] full = new String[args.length + 2];
        full[0] = "--config";
        full[1] = config.toString();
        System.arraycopy(args, 0, full, 2, args.length);
        return CliRun.of(full);
    }

    @Test
    void startStatusStop_singleService_reportsEachStepWithLsbCodes() throws Exception {
        CliRun notYet = vigil("status", "alpha");
        assertThat(notYet.exitCode()).as(notYet.toString()).isEqualTo(3);

        CliRun started = vigil("start", "alpha");
        assertThat(started.exitCode()).as(started.toString()).isZero();
        assertThat(started.out()).startsWith("alpha: started");

        CliRun running = vigil("status", "alpha", "--json");
        assertThat(running.exitCode()).as(running.toString()).isZero();
        JsonNode entry = JSON.readTree(running.out()).get(0);
        assertThat(entry.get("name").asText()).isEqualTo("alpha");
        assertThat(entry.get("state").asText()).isIn("running", "starting");
        assertThat(entry.get("pid").asLong()).isPositive();
        assertThat(entry.get("started_at").asText()).isNotBlank();
        assertThat(entry.get("command").asText()).isEqualTo("/bin/sleep 100050");
        assertThat(entry.get("driver").asText()).isEqualTo("exec");

        CliRun again = vigil("start", "alpha");
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).contains("already running");

        CliRun stopped = vigil("stop", "alpha");
        assertThat(stopped.exitCode()).as(stopped.toString()).isZero();
        long pid = entry.get("pid").asLong();
        assertThat(dev.vigil.process.linux.ProcFs.read(pid)
                        .map(p -> !p.isZombie())
                        .orElse(false))
                .isFalse();
        assertThat(vigil("status", "alpha").exitCode()).isEqualTo(3);
    }

    @Test
    void status_afterKill9_isDeadButPidfileExists() throws Exception {
        assertThat(vigil("start", "beta").exitCode()).isZero();
        long pid = JSON.readTree(vigil("status", "beta", "--json").out())
                .get(0)
                .get("pid")
                .asLong();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.of(pid).isEmpty());

        CliRun status = vigil("status", "beta");
        assertThat(status.exitCode()).as(status.toString()).isEqualTo(1);
        assertThat(status.out()).contains("failed").contains("beta: ");
    }

    @Test
    void startAllParallel_startsEveryEnabledService_skipsDisabled() throws Exception {
        CliRun started = vigil("start", "all", "--parallel", "--json");
        // the systemd unit cannot start on a host without systemd: all others must
        JsonNode outcomes = JSON.readTree(started.out());
        List<String> ok = new ArrayList<>();
        outcomes.forEach(o -> {
            if (o.get("ok").asBoolean()) {
                ok.add(o.get("name").asText());
            }
        });
        assertThat(ok).containsExactlyInAnyOrder("alpha", "beta", "gamma");
        assertThat(outcomes.findValuesAsText("name")).doesNotContain("off");

        CliRun status = vigil("status", "alpha", "beta", "gamma", "--parallel");
        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.out().lines().filter(l -> l.contains("running")).count())
                .isEqualTo(3);
    }

    @Test
    void systemdDriver_withoutSystemd_saysSoClearly() {
        // This test machine has no systemd as PID 1; a fleet test covers a real systemd.
        if (Files.isDirectory(Path.of("/run/systemd/system"))) {
            return;
        }
        CliRun status = vigil("status", "unit");
        assertThat(status.exitCode()).isEqualTo(4);
        assertThat(status.out()).contains("needs systemd").contains("/run/systemd/system");
        CliRun start = vigil("start", "unit");
        assertThat(start.exitCode()).isEqualTo(7);
    }

    @Test
    void unknownService_isNotConfiguredForActions_unknownForStatus() {
        CliRun start = vigil("start", "nope");
        assertThat(start.exitCode()).isEqualTo(6);
        assertThat(start.err()).contains("no service named \"nope\"").contains("alpha, beta, gamma");
        assertThat(vigil("status", "nope").exitCode()).isEqualTo(4);
    }

    @Test
    void usageErrors_exit2() {
        assertThat(CliRun.of().exitCode()).isEqualTo(2);
        assertThat(CliRun.of("start").exitCode()).isEqualTo(2);
        assertThat(CliRun.of("frobnicate").exitCode()).isEqualTo(2);
        assertThat(CliRun.of("status", "--bogus").exitCode()).isEqualTo(2);
    }

    @Test
    void listAndCheckConfig_describeTheConfiguration() throws Exception {
        CliRun list = vigil("list", "--json");
        assertThat(list.exitCode()).isZero();
        assertThat(JSON.readTree(list.out()).findValuesAsText("name"))
                .containsExactly("alpha", "beta", "gamma", "off", "unit");

        CliRun check = vigil("check-config");
        assertThat(check.exitCode()).as(check.toString()).isZero();
        assertThat(check.out()).startsWith("OK: " + config).contains("5 services");
    }

    @Test
    void version_printsVersionAndJava() {
        CliRun version = CliRun.of("version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("vigil ").contains("java 25");
    }
}
