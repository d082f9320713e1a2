package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's /metrics scraped by a real Prometheus (Debian's package), queried with PromQL. */
class MetricsIT {
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

    @Test
    void prometheusScrapesTheDaemon_andPromqlSeesAKilledServicesRestart() throws Exception {
        int metricsPort = LocalServers.freePort();
        int prometheusPort = LocalServers.freePort();
        config = home.resolve("vigil.toml");
        Files.writeString(config, """
                state_dir = "%s"
                metrics_listen = "127.0.0.1:%d"
                [service.web]
                command = ["/bin/sleep", "%d"]
                success_seconds = "0.2s"
                """.formatted(
                home.resolve("state"), metricsPort, ProcessHandle.current().pid() * 10 + 7));
        Path daemonLog = home.resolve("daemon.log");
        servers.start(daemonLog, Launcher.VIGIL.toString(), "-c", config.toString(), "daemon");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Files.readString(daemonLog).contains("vigil daemon started"));
        assertThat(Files.readString(daemonLog)).contains("http://127.0.0.1:" + metricsPort + "/metrics");

        Path prometheusYml = home.resolve("prometheus.yml");
        Files.writeString(prometheusYml, """
                global:
                  scrape_interval: 1s
                scrape_configs:
                  - job_name: vigil
                    static_configs:
                      - targets: ["127.0.0.1:%d"]
                """.formatted(metricsPort));
        servers.start(
                home.resolve("prometheus.log"),
                "/usr/bin/prometheus",
                "--config.file=" + prometheusYml,
                "--storage.tsdb.path=" + home.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + prometheusPort);
        String api = "http://127.0.0.1:" + prometheusPort + "/api/v1/query?query=";

        await().atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .until(() -> value(api, "vigil_service_up{service=\"web\"}") == 1);

        JsonNode status = JSON.readTree(Launcher.vigil(home, "-c", config.toString(), "status", "web", "--json")
                .out());
        long pid = status.get(0).get("pid").asLong();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();

        await().atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .until(() -> value(api, "vigil_restarts_total{service=\"web\",reason=\"died\"}") >= 1);
        assertThat(value(api, "vigil_detection_to_restart_seconds_count{service=\"web\"}"))
                .isGreaterThanOrEqualTo(1);

        // the exposition passes Prometheus's own linter
        Path scraped = Files.writeString(
                home.resolve("metrics.txt"), LocalServers.get("http://127.0.0.1:" + metricsPort + "/metrics"));
        Process promtool = new ProcessBuilder("/usr/bin/promtool", "check", "metrics")
                .redirectInput(scraped.toFile())
                .redirectErrorStream(true)
                .start();
        String lint = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(promtool.waitFor()).as(lint).isZero();
    }

    private static double value(String api, String query) throws Exception {
        JsonNode result = JSON.readTree(LocalServers.get(api + URLEncoder.encode(query, StandardCharsets.UTF_8)))
                .path("data")
                .path("result");
        return result.isEmpty() ? -1 : result.get(0).path("value").get(1).asDouble();
    }
}
