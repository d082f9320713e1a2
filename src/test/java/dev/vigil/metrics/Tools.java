package dev.vigil.metrics;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Assumptions;

/** The Prometheus tools the tests run (Debian packages), and HTTP GETs. */
final class Tools {
    static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    static final Path AMTOOL = Path.of("/usr/bin/amtool");
    static final Path PUSHGATEWAY = Path.of("/usr/bin/prometheus-pushgateway");
    /** The repository root: Maven runs tests there. */
    static final Path DEPLOY = Path.of("deploy").toAbsolutePath();

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Tools() {}

    /**
     * Waits up to 3 minutes for {@code tool} (its package may be being installed as the tests start), then skips
     * the test with a message naming the package when it is still missing.
     */
    static Path require(Path tool, String debianPackage) {
        try {
            await().atMost(3, TimeUnit.MINUTES)
                    .pollInterval(Duration.ofSeconds(2))
                    .until(() -> Files.isExecutable(tool));
        } catch (ConditionTimeoutException e) {
            Assumptions.abort(tool + " is missing after waiting 3 minutes: install the Debian package " + debianPackage
                    + " to run this test");
        }
        return tool;
    }

    record Result(int exit, String output) {}

    /** Runs {@code command} with {@code stdin}, stdout and stderr merged, within 60 seconds. */
    static Result run(List<String> command, String stdin) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(command + " did not finish in 60 s: " + out);
        }
        return new Result(p.exitValue(), out);
    }

    static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static int freePort() throws IOException {
        try (var s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
