package dev.vigil.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vigil.supervise.Phase;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a real Pushgateway on a loopback port, started for the test. */
class PusherTest {
    private Process gateway;
    private URI url;

    @BeforeEach
    void startGateway(@TempDir Path dir) throws Exception {
        Path binary = Tools.require(Tools.PUSHGATEWAY, "prometheus-pushgateway");
        int port = Tools.freePort();
        url = URI.create("http://127.0.0.1:" + port);
        gateway = new ProcessBuilder(binary.toString(), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("pushgateway.log").toFile())
                .start();
        await().atMost(30, TimeUnit.SECONDS)
                .ignoreExceptions()
                .until(() -> Tools.get(url.resolve("/-/ready")).statusCode() == 200);
    }

    @AfterEach
    void stopGateway() throws Exception {
        gateway.destroy();
        if (!gateway.waitFor(10, TimeUnit.SECONDS)) {
            gateway.destroyForcibly();
        }
    }

    private Exposition gatewayPage() throws Exception {
        return Exposition.parse(Tools.get(url.resolve("/metrics")).body());
    }

    @Test
    void push_puts_the_series_under_job_and_instance_and_delete_removes_them() throws Exception {
        var metrics = new VigilMetrics("9.9.9");
        metrics.heartbeat(Instant.parse("2026-01-01T00:00:00Z"));
        metrics.update(List.of(new ServiceSample("web", "", Phase.UP, true, true, false)));
        metrics.restarted("web", "", RestartReason.CHECK, Duration.ofMillis(30));
        var pusher = new Pusher(metrics.registry(), url, Pusher.DEFAULT_JOB, "cron-host", Pusher.DEFAULT_TIMEOUT);

        pusher.push();
        Exposition page = gatewayPage();
        assertThat(page.value(
                        "vigil_service_up", "host", "", "instance", "cron-host", "job", "vigil", "service", "web"))
                .hasValue(1);
        assertThat(page.value(
                        "vigil_restarts_total",
                        "host",
                        "",
                        "instance",
                        "cron-host",
                        "job",
                        "vigil",
                        "reason",
                        "check",
                        "service",
                        "web"))
                .hasValue(1);
        assertThat(page.with("push_time_seconds", "instance", "cron-host")).hasSize(1);

        // A push replaces the group: a service gone from this run is gone from the gateway.
        metrics.update(List.of());
        pusher.push();
        assertThat(gatewayPage().with("vigil_service_up", "instance", "cron-host"))
                .isEmpty();
        assertThat(gatewayPage().value("vigil_up", "instance", "cron-host", "job", "vigil"))
                .hasValue(1);

        pusher.delete();
        assertThat(gatewayPage().samples())
                .filteredOn(s -> "cron-host".equals(s.labels().get("instance")))
                .isEmpty();
    }

    @Test
    void a_failed_push_names_the_url() throws Exception {
        int closed = Tools.freePort();
        var pusher = new Pusher(
                new VigilMetrics("x").registry(),
                URI.create("http://127.0.0.1:" + closed),
                "vigil",
                "h",
                Duration.ofSeconds(2));
        assertThat(pusher.url()).isEqualTo("http://127.0.0.1:" + closed + "/metrics/job/vigil/instance/h");
        assertThatThrownBy(pusher::push).isInstanceOf(IOException.class).hasMessageContaining(pusher.url());
        assertThatThrownBy(pusher::delete).isInstanceOf(IOException.class).hasMessageContaining(pusher.url());
    }

    @Test
    void bad_gateway_urls_are_refused() {
        var registry = new VigilMetrics("x").registry();
        assertThatThrownBy(() -> new Pusher(registry, URI.create("ftp://h:1"), "vigil", "h", Duration.ofSeconds(1)))
                .hasMessageContaining("http or https");
        assertThatThrownBy(() -> new Pusher(registry, URI.create("http://h"), "vigil", "h", Duration.ofSeconds(1)))
                .hasMessageContaining("port");
        assertThatThrownBy(() -> new Pusher(registry, URI.create("http://h:1/x"), "vigil", "h", Duration.ofSeconds(1)))
                .hasMessageContaining("path");
        assertThatThrownBy(() -> new Pusher(registry, URI.create("http://h:1"), "vigil", "", Duration.ofSeconds(1)))
                .hasMessageContaining("instance");
    }

    @Test
    void the_default_instance_is_the_host_name() {
        assertThat(Pusher.localHostname()).isNotBlank().doesNotContain("\n");
    }
}
