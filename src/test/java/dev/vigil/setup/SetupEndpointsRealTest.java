package dev.vigil.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The endpoint checks of {@code vigil setup hosts} against the real things: Debian's Alertmanager and Pushgateway
 * started on loopback ports, and GreenMail's SMTP server. What answers a health check here is what a site runs.
 */
class SetupEndpointsRealTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Process p : started) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Starts BINARY with ARGS and waits until Endpoints says it answers (the check under test is also the wait). */
    private URI start(String binary, String what, List<String> args) throws Exception {
        assertThat(Path.of(binary)).as("installed by .ci/run").isExecutable();
        int port = freePort();
        List<String> argv = new ArrayList<>(List.of(binary, "--web.listen-address=127.0.0.1:" + port));
        argv.addAll(args);
        started.add(new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(what + ".log").toFile())
                .start());
        URI base = URI.create("http://127.0.0.1:" + port);
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> Endpoints.http(what, base, TIMEOUT).outcome() == Outcome.ALREADY);
        return base;
    }

    @Test
    void aRealAlertmanager_aRealPushgateway_andARealSmtpServer_eachGetALineSayingTheyAnswer() throws Exception {
        Path amConfig = dir.resolve("alertmanager.yml");
        Files.writeString(amConfig, """
                route:
                  receiver: 'null'
                receivers:
                  - name: 'null'
                """);
        URI am = start(
                "/usr/bin/prometheus-alertmanager",
                "alertmanager",
                List.of(
                        "--config.file=" + amConfig,
                        "--storage.path=" + dir.resolve("am"),
                        "--cluster.listen-address="));
        URI gw = start("/usr/bin/prometheus-pushgateway", "pushgateway", List.of());

        StepResult alertmanager = Endpoints.http("alertmanager am", am, TIMEOUT);
        StepResult pushgateway = Endpoints.http("pushgateway", gw, TIMEOUT);
        StepResult smtp =
                Endpoints.smtp("smtp oncall", "127.0.0.1", SMTP.getSmtp().getPort(), TIMEOUT);

        assertThat(alertmanager.detail()).isEqualTo(am + " answers (GET /-/healthy: HTTP 200)");
        assertThat(pushgateway.detail()).isEqualTo(gw + " answers (GET /-/healthy: HTTP 200)");
        assertThat(smtp.outcome()).isEqualTo(Outcome.ALREADY);
        assertThat(smtp.detail()).startsWith("127.0.0.1:" + SMTP.getSmtp().getPort() + " answers: 220 ");
    }
}
