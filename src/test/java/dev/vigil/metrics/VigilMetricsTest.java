package dev.vigil.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.store.DesiredState;
import dev.vigil.supervise.Phase;
import dev.vigil.supervise.ServiceMachine;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Vigil's metrics as Prometheus scrapes them: over HTTP from a real MetricsServer on loopback. */
class VigilMetricsTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00.250Z");

    private VigilMetrics metrics;
    private MetricsServer server;

    @BeforeEach
    void start() throws Exception {
        metrics = new VigilMetrics("1.2.3", InstantSource.fixed(NOW));
        server = MetricsServer.start(metrics, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), false);
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private String scrapeText() throws Exception {
        HttpResponse<String> response = Tools.get(server.metricsUri());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        return response.body();
    }

    private Exposition scrape() throws Exception {
        return Exposition.parse(scrapeText());
    }

    private static ServiceSample web(Phase phase) {
        return new ServiceSample("web", VigilMetrics.LOCAL_HOST, phase, phase == Phase.UP, true, false);
    }

    @Test
    void process_level_series_are_there_from_the_start() throws Exception {
        metrics.heartbeat(NOW);
        Exposition page = scrape();
        assertThat(page.value("vigil_up")).hasValue(1);
        assertThat(page.value("vigil_build_info", "version", "1.2.3")).hasValue(1);
        assertThat(page.value("vigil_heartbeat_timestamp_seconds")).hasValue(NOW.toEpochMilli() / 1000.0);
    }

    @Test
    void update_sets_up_desired_given_up_and_a_one_hot_state() throws Exception {
        metrics.update(List.of(
                web(Phase.UP),
                new ServiceSample("batch", "", Phase.DOWN, false, false, false),
                new ServiceSample("flaky", "node7", Phase.GIVEN_UP, false, true, true)));
        Exposition page = scrape();

        assertThat(page.value("vigil_service_up", "host", "", "service", "web")).hasValue(1);
        assertThat(page.value("vigil_service_up", "host", "", "service", "batch"))
                .hasValue(0);
        assertThat(page.value("vigil_service_desired_running", "host", "", "service", "batch"))
                .hasValue(0);
        assertThat(page.value("vigil_service_given_up", "host", "node7", "service", "flaky"))
                .hasValue(1);
        assertThat(page.value("vigil_service_given_up", "host", "", "service", "web"))
                .hasValue(0);

        List<Exposition.Sample> states = page.with("vigil_service_state", "service", "flaky");
        assertThat(states)
                .extracting(s -> s.labels().get("state"))
                .containsExactlyInAnyOrder(
                        "new",
                        "up",
                        "confirming",
                        "backoff",
                        "starting",
                        "stopping",
                        "down",
                        "given-up",
                        "unmonitored");
        assertThat(states)
                .filteredOn(s -> s.value() == 1)
                .extracting(s -> s.labels().get("state"))
                .containsExactly("given-up");

        metrics.update(List.of(web(Phase.BACKOFF)));
        page = scrape();
        assertThat(page.value("vigil_service_state", "host", "", "service", "web", "state", "backoff"))
                .hasValue(1);
        assertThat(page.value("vigil_service_state", "host", "", "service", "web", "state", "up"))
                .hasValue(0);
        assertThat(page.value("vigil_service_up", "host", "", "service", "web")).hasValue(0);
    }

    @Test
    void restarts_start_at_zero_for_every_reason_and_count_by_reason() throws Exception {
        metrics.update(List.of(web(Phase.UP)));
        Exposition before = scrape();
        for (RestartReason r : RestartReason.values()) {
            assertThat(before.value("vigil_restarts_total", "host", "", "reason", r.label(), "service", "web"))
                    .as(r.label())
                    .hasValue(0);
        }
        assertThat(before.value("vigil_restart_failures_total", "host", "", "service", "web"))
                .hasValue(0);

        metrics.restarted("web", "", RestartReason.DIED, Duration.ofMillis(3));
        metrics.restarted("web", "", RestartReason.DIED, Duration.ofSeconds(2));
        metrics.restarted("web", "", RestartReason.CHECK, Duration.ofSeconds(40));
        metrics.restartFailed("web", "");
        Exposition page = scrape();

        assertThat(page.value("vigil_restarts_total", "host", "", "reason", "died", "service", "web"))
                .hasValue(2);
        assertThat(page.value("vigil_restarts_total", "host", "", "reason", "check", "service", "web"))
                .hasValue(1);
        assertThat(page.value("vigil_restart_failures_total", "host", "", "service", "web"))
                .hasValue(1);
        assertThat(page.value("vigil_last_restart_timestamp_seconds", "host", "", "service", "web"))
                .hasValue(NOW.toEpochMilli() / 1000.0);
        assertThat(page.value("vigil_detection_to_restart_seconds_count", "service", "web"))
                .hasValue(3);
        assertThat(page.value("vigil_detection_to_restart_seconds_sum", "service", "web"))
                .hasValueCloseTo(42.003, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(page.value("vigil_detection_to_restart_seconds_bucket", "le", "0.0025", "service", "web"))
                .hasValue(0);
        assertThat(page.value("vigil_detection_to_restart_seconds_bucket", "le", "0.005", "service", "web"))
                .hasValue(1);
        assertThat(page.value("vigil_detection_to_restart_seconds_bucket", "le", "2.5", "service", "web"))
                .hasValue(2);
        assertThat(page.value("vigil_detection_to_restart_seconds_bucket", "le", "60.0", "service", "web"))
                .hasValue(3);
        assertThat(page.value("vigil_detection_to_restart_seconds_bucket", "le", "+Inf", "service", "web"))
                .hasValue(3);
    }

    @Test
    void failed_checks_count_by_check() throws Exception {
        metrics.update(List.of(web(Phase.UP)));
        metrics.checkFailed("web", "", "http");
        metrics.checkFailed("web", "", "http");
        metrics.checkFailed("web", "", "rss");
        Exposition page = scrape();
        assertThat(page.value("vigil_checks_failed_total", "check", "http", "host", "", "service", "web"))
                .hasValue(2);
        assertThat(page.value("vigil_checks_failed_total", "check", "rss", "host", "", "service", "web"))
                .hasValue(1);
    }

    @Test
    void a_service_that_disappears_loses_every_series_and_others_keep_theirs() throws Exception {
        var db = new ServiceSample("db", "", Phase.UP, true, true, false);
        metrics.update(List.of(web(Phase.UP), db));
        metrics.restarted("web", "", RestartReason.PERSON, Duration.ZERO);
        metrics.checkFailed("web", "", "http");
        metrics.restartFailed("web", "");
        metrics.restarted("db", "", RestartReason.DIED, Duration.ofMillis(5));
        assertThat(scrape().with("vigil_service_up", "service", "web")).hasSize(1);

        metrics.update(List.of(db));
        Exposition page = scrape();
        assertThat(page.samples())
                .filteredOn(s -> "web".equals(s.labels().get("service")))
                .isEmpty();
        assertThat(page.value("vigil_service_up", "host", "", "service", "db")).hasValue(1);
        assertThat(page.value("vigil_restarts_total", "host", "", "reason", "died", "service", "db"))
                .hasValue(1);
        assertThat(page.value("vigil_detection_to_restart_seconds_count", "service", "db"))
                .hasValue(1);

        // Back in the config: starts from zero, as a new service.
        metrics.update(List.of(db, web(Phase.NEW)));
        assertThat(scrape().value("vigil_restarts_total", "host", "", "reason", "person", "service", "web"))
                .hasValue(0);
    }

    @Test
    void series_only_an_event_created_go_at_the_next_update_without_that_service() throws Exception {
        metrics.restarted("ghost", "", RestartReason.DIED, Duration.ofMillis(1));
        metrics.checkFailed("ghost", "", "tcp");
        assertThat(scrape().with("vigil_restarts_total", "service", "ghost")).isNotEmpty();
        metrics.update(List.of());
        assertThat(scrape().samples())
                .filteredOn(s -> "ghost".equals(s.labels().get("service")))
                .isEmpty();
    }

    @Test
    void a_fleet_service_on_two_hosts_keeps_its_histogram_while_one_host_remains() throws Exception {
        var a = new ServiceSample("xrootd", "node1", Phase.UP, true, true, false);
        var b = new ServiceSample("xrootd", "node2", Phase.UP, true, true, false);
        metrics.update(List.of(a, b));
        metrics.restarted("xrootd", "node2", RestartReason.DIED, Duration.ofSeconds(1));
        metrics.update(List.of(a));
        Exposition page = scrape();
        assertThat(page.with("vigil_service_up", "host", "node2")).isEmpty();
        assertThat(page.with("vigil_service_up", "host", "node1")).hasSize(1);
        assertThat(page.value("vigil_detection_to_restart_seconds_count", "service", "xrootd"))
                .hasValue(1);
    }

    @Test
    void a_state_machine_snapshot_becomes_a_sample() {
        var snapshot = new ServiceMachine.Snapshot(
                "web",
                DesiredState.RUNNING,
                Phase.GIVEN_UP,
                Optional.empty(),
                Optional.empty(),
                5,
                5,
                Optional.empty(),
                Optional.of(NOW),
                "died");
        assertThat(ServiceSample.of(snapshot))
                .isEqualTo(new ServiceSample("web", "", Phase.GIVEN_UP, false, true, true));
        assertThat(ServiceSample.of(snapshot, "node3").host()).isEqualTo("node3");
    }

    @Test
    void text_is_what_the_server_serves() throws Exception {
        metrics.update(List.of(web(Phase.UP)));
        metrics.heartbeat(NOW);
        assertThat(metrics.text()).isEqualTo(scrapeText());
    }

    @Test
    void promtool_finds_nothing_to_complain_about_in_the_scraped_page() throws Exception {
        metrics.heartbeat(NOW);
        metrics.update(List.of(web(Phase.UP), new ServiceSample("db", "node2", Phase.BACKOFF, false, true, false)));
        metrics.restarted("web", "", RestartReason.CHECK, Duration.ofMillis(120));
        metrics.restartFailed("db", "node2");
        metrics.replaced("db", "node2");
        metrics.checkFailed("web", "", "http");
        String page = scrapeText();
        assertThat(page).contains("vigil_external_restarts_total{host=\"node2\",service=\"db\"} 1.0");

        Tools.Result result =
                Tools.run(List.of(Tools.require(Tools.PROMTOOL, "prometheus").toString(), "check", "metrics"), page);
        assertThat(result.exit()).as(result.output() + "\n" + page).isZero();
        assertThat(result.output()).isBlank();
    }
}
