package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code [alerts]} and usrsvc's {@code email_alerts} become the {@link AlertsSpec} in {@link Settings#alerts()}. */
class AlertsConfigTest {
    @TempDir
    Path dir;

    private static final Path HOME = Path.of("/home/me");

    private AlertsSpec alerts(String name, String text) throws IOException, ConfigException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return ConfigLoader.load(file, Map.of(), false, HOME).settings().alerts();
    }

    /** The TOML block of docs/alerts.md's "Configuration" section, with its secrets in real files. */
    private String docExample() throws IOException {
        String doc = Files.readString(Path.of("docs/alerts.md"));
        String section = doc.substring(doc.indexOf("## Configuration"));
        int start = section.indexOf("```toml\n") + "```toml\n".length();
        String toml = section.substring(start, section.indexOf("```", start));
        Path token = Files.writeString(dir.resolve("token"), "t0ken\n");
        Path password = Files.writeString(dir.resolve("password"), "s3cret\n");
        assertThat(toml).contains("bearer_token = \"...\"", "password = \"...\"");
        return toml.replace("bearer_token = \"...\"", "bearer_token_file = \"" + token + "\"")
                .replace("password = \"...\"", "password_file = \"" + password + "\"");
    }

    @Test
    void noAlertsTable_isLogOnly() throws Exception {
        assertThat(alerts("min.toml", "[service.a]\ncommand = \"sleep 100\"\n")).isEqualTo(AlertsSpec.LOG_ONLY);
    }

    @Test
    void docExample_loads() throws Exception {
        AlertsSpec spec = alerts("alerts.toml", docExample());

        assertThat(spec.resendInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(spec.eventLifetime()).isEqualTo(Duration.ofMinutes(5));
        assertThat(spec.defaultSinks()).containsExactly("am", "log");
        assertThat(spec.sinks())
                .isEqualTo(Map.of(
                        "am",
                        new AlertsSpec.Sink.Alertmanager(
                                List.of(URI.create("http://am1:9093"), URI.create("http://am2:9093")),
                                Duration.ofSeconds(10)),
                        "hook",
                        new AlertsSpec.Sink.Webhook(
                                URI.create("https://chat.example.org/hooks/vigil"),
                                Optional.of("t0ken"),
                                Duration.ofSeconds(10)),
                        "oncall",
                        new AlertsSpec.Sink.Mail(
                                "smtp.example.org",
                                587,
                                "required",
                                Optional.of("vigil"),
                                Optional.of("s3cret"),
                                "vigil@host1.example.org",
                                List.of("oncall@example.org"),
                                Duration.ofSeconds(30)),
                        "log",
                        new AlertsSpec.Sink.Log()));
        assertThat(spec.routes())
                .containsExactly(
                        new AlertsSpec.Route(Optional.empty(), Optional.of("web"), List.of("oncall", "am", "log")),
                        new AlertsSpec.Route(Optional.of("ServiceGaveUp"), Optional.empty(), List.of("oncall")));
    }

    @Test
    void sinkDefaults_andDefaultSinksAreEverySink() throws Exception {
        AlertsSpec spec = alerts("defaults.toml", """
                [alerts.sink.hook]
                type = "webhook"
                url = "http://127.0.0.1:8080/hook"
                [alerts.sink.relay]
                type = "mail"
                host = "localhost"
                from = "vigil@example.org"
                to = "ops@example.org"
                """);

        assertThat(spec.defaultSinks()).containsExactly("hook", "relay");
        assertThat(spec.sinks().get("relay"))
                .isEqualTo(new AlertsSpec.Sink.Mail(
                        "localhost",
                        25,
                        "optional",
                        Optional.empty(),
                        Optional.empty(),
                        "vigil@example.org",
                        List.of("ops@example.org"),
                        Duration.ofSeconds(30)));
        assertThat(spec.routes()).isEmpty();
    }

    @Test
    void emailAlerts_becomeOneMailSinkPerAddressList_andARoutePerService() throws Exception {
        Path cfg = dir.resolve("usrsvc.cfg");
        Files.writeString(cfg, """
                [Program:web]
                command = /bin/web
                email_alerts = ops@example.com, me@example.org

                [Program:api]
                command = /bin/api
                email_alerts = ops@example.com, me@example.org

                [Program:db]
                command = /bin/db
                email_alerts = dba@example.com

                [Program:quiet]
                command = /bin/quiet
                """);

        AlertsSpec spec =
                ConfigLoader.load(cfg, Map.of(), false, HOME).settings().alerts();

        String from = "vigil@" + AlertsBuilder.localHostname();
        String both = "email:ops@example.com,me@example.org";
        String dba = "email:dba@example.com";
        assertThat(spec.sinks())
                .isEqualTo(Map.of(
                        "log",
                        new AlertsSpec.Sink.Log(),
                        both,
                        new AlertsSpec.Sink.Mail(
                                "localhost",
                                25,
                                "optional",
                                Optional.empty(),
                                Optional.empty(),
                                from,
                                List.of("ops@example.com", "me@example.org"),
                                Duration.ofSeconds(30)),
                        dba,
                        new AlertsSpec.Sink.Mail(
                                "localhost",
                                25,
                                "optional",
                                Optional.empty(),
                                Optional.empty(),
                                from,
                                List.of("dba@example.com"),
                                Duration.ofSeconds(30))));
        assertThat(spec.defaultSinks()).containsExactly("log");
        assertThat(spec.routes())
                .containsExactly(
                        new AlertsSpec.Route(Optional.empty(), Optional.of("web"), List.of(both, "log")),
                        new AlertsSpec.Route(Optional.empty(), Optional.of("api"), List.of(both, "log")),
                        new AlertsSpec.Route(Optional.empty(), Optional.of("db"), List.of(dba, "log")));
    }

    @Test
    void emailVia_usesTheMailSinksServer_withTheServicesAddresses() throws Exception {
        Path password = Files.writeString(dir.resolve("pw"), "pw\n");
        AlertsSpec spec = alerts("via.toml", """
                [alerts]
                email_via = "smtp"
                default_sinks = ["log"]
                [alerts.sink.smtp]
                type = "mail"
                host = "smtp.example.org"
                port = 587
                starttls = "required"
                username = "vigil"
                password_file = "%s"
                from = "vigil@host1.example.org"
                to = "oncall@example.org"
                [alerts.sink.log]
                type = "log"
                [service.web]
                command = "/bin/web"
                email_alerts = "web-team@example.org"
                """.formatted(password));

        assertThat(spec.sinks().get("email:web-team@example.org"))
                .isEqualTo(new AlertsSpec.Sink.Mail(
                        "smtp.example.org",
                        587,
                        "required",
                        Optional.of("vigil"),
                        Optional.of("pw"),
                        "vigil@host1.example.org",
                        List.of("web-team@example.org"),
                        Duration.ofSeconds(30)));
        assertThat(spec.defaultSinks()).containsExactly("log");
        assertThat(spec.routes())
                .containsExactly(new AlertsSpec.Route(
                        Optional.empty(), Optional.of("web"), List.of("email:web-team@example.org", "log")));
    }
}
