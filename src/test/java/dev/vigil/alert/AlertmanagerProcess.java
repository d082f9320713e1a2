package dev.vigil.alert;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Assumptions;

/** A real Alertmanager (Debian's prometheus-alertmanager) on 127.0.0.1, clustering off, a null receiver. */
final class AlertmanagerProcess implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/prometheus-alertmanager");
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final int port;

    private AlertmanagerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Waits a few minutes for the package being installed; skips the test if it never appears. */
    static void assumeInstalled() {
        try {
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofSeconds(2))
                    .until(() -> Files.isExecutable(BINARY));
        } catch (ConditionTimeoutException e) {
            Assumptions.abort(BINARY + " is not installed (apt install prometheus-alertmanager): skipping the tests"
                    + " against a real Alertmanager");
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Starts one with a fresh storage directory under {@code dir}, and waits until it is ready. */
    static AlertmanagerProcess start(Path dir, int port) throws IOException {
        Path home = Files.createTempDirectory(dir, "am");
        Path config = home.resolve("alertmanager.yml");
        Files.writeString(config, """
                global:
                  resolve_timeout: 5s
                route:
                  receiver: 'null'
                receivers:
                  - name: 'null'
                """);
        Process process = new ProcessBuilder(
                        BINARY.toString(),
                        "--config.file=" + config,
                        "--storage.path=" + home.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port,
                        "--cluster.listen-address=")
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("alertmanager.log").toFile())
                .start();
        AlertmanagerProcess am = new AlertmanagerProcess(process, port);
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(
                                "alertmanager exited: " + Files.readString(home.resolve("alertmanager.log")));
                    }
                    return am.get("/-/ready").statusCode() == 200;
                });
        return am;
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(url().resolve(path))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** GET /api/v2/alerts. */
    List<JsonNode> alerts() throws IOException, InterruptedException {
        JsonNode array = AlertJson.MAPPER.readTree(get("/api/v2/alerts").body());
        return StreamSupport.stream(array.spliterator(), false).toList();
    }

    Optional<JsonNode> alert(String alertname, String service) throws IOException, InterruptedException {
        return alerts().stream()
                .filter(a -> a.path("labels").path("alertname").asText().equals(alertname)
                        && a.path("labels").path("service").asText().equals(service))
                .findFirst();
    }

    /** Listed with state {@code active} and an endsAt still ahead. */
    boolean isActive(String alertname, String service) throws IOException, InterruptedException {
        return alert(alertname, service)
                .filter(a -> a.path("status").path("state").asText().equals("active"))
                .filter(a -> Instant.parse(a.path("endsAt").asText()).isAfter(Instant.now()))
                .isPresent();
    }

    /** Not listed, or listed with an endsAt that has passed. */
    boolean isResolved(String alertname, String service) throws IOException, InterruptedException {
        return alert(alertname, service)
                .map(a -> !Instant.parse(a.path("endsAt").asText()).isAfter(Instant.now()))
                .orElse(true);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
