package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's alerts in a real Alertmanager (Debian's package): firing while a service is down, resolved after. */
class AlertIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    private final LocalServers servers = new LocalServers();
    private Path config;

    @AfterEach
    void stop() throws Exception {
        servers.stopAll();
        if (config != null) {
            Launcher.vigil(home, "-c", config.toString(), "stop", "all");
        }
    }

    /** The states of ServiceDown alerts for service web that Alertmanager holds. */
    private List<String> serviceDown(int port) throws Exception {
        String body = LocalServers.get("http://127.0.0.1:" + port + "/api/v2/alerts");
        List<String> states = new ArrayList<>();
        for (JsonNode alert : JSON.readTree(body)) {
            if (alert.path("labels").path("alertname").asText().equals("ServiceDown")
                    && alert.path("labels").path("service").asText().equals("web")) {
                states.add(alert.path("status").path("state").asText());
            }
        }
        return states;
    }

    @Test
    void serviceDown_firesWhileDown_staysPastResolveTimeout_resolvesWhenBack() throws Exception {
        int amPort = LocalServers.freePort();
        Path amConfig = Files.writeString(home.resolve("alertmanager.yml"), """
                global:
                  resolve_timeout: 5s
                route:
                  receiver: "null"
                receivers:
                  - name: "null"
                """);
        servers.start(
                home.resolve("alertmanager.log"),
                "/usr/bin/prometheus-alertmanager",
                "--config.file=" + amConfig,
                "--storage.path=" + home.resolve("am-data"),
                "--web.listen-address=127.0.0.1:" + amPort,
                "--cluster.listen-address=");
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> serviceDown(amPort)
                .isEmpty());

        long marker = ProcessHandle.current().pid() * 10 + 3;
        Path flag = Files.writeString(home.resolve("may-run"), "");
        Path script = home.resolve("web.sh");
        Files.writeString(script, "#!/bin/sh\ntest -e " + flag + " || exit 1\nexec /bin/sleep " + marker + "\n");
        script.toFile().setExecutable(true);
        config = home.resolve("vigil.toml");
        Files.writeString(config, """
                state_dir = "%s"
                [alerts]
                resend_interval = "1s"
                [alerts.sink.am]
                type = "alertmanager"
                urls = ["http://127.0.0.1:%d"]
                [service.web]
                command = ["%s"]
                proctitle_re = "^/bin/sleep %d$"
                success_seconds = "0.3s"
                backoff_max = "2s"
                """.formatted(home.resolve("state"), amPort, script, marker));
        Path daemonLog = home.resolve("daemon.log");
        servers.start(daemonLog, Launcher.VIGIL.toString(), "-c", config.toString(), "daemon");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Files.readString(daemonLog).contains("web: started"));

        Files.delete(flag);
        long pid = JSON.readTree(Launcher.vigil(home, "-c", config.toString(), "status", "web", "--json")
                        .out())
                .get(0)
                .get("pid")
                .asLong();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();

        await().atMost(Duration.ofSeconds(30)).until(() -> serviceDown(amPort).contains("active"));
        // longer than resolve_timeout (5 s): only Vigil's re-sends keep it active
        await().pollDelay(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(12)).until(() -> serviceDown(amPort)
                .contains("active"));

        Files.writeString(flag, "");
        await().atMost(Duration.ofSeconds(30)).until(() -> !serviceDown(amPort).contains("active"));
        assertThat(Files.readString(daemonLog)).contains("web: restarted");
    }
}
