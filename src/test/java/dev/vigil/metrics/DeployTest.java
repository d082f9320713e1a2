package dev.vigil.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.supervise.Phase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The monitoring assets in deploy/ are valid for the real tools and use only metrics Vigil exports. */
class DeployTest {
    private static final Path RULES = Tools.DEPLOY.resolve("prometheus/vigil-rules.yml");
    private static final Path DASHBOARD = Tools.DEPLOY.resolve("grafana/vigil-dashboard.json");
    private static final Pattern METRIC = Pattern.compile("vigil_[a-z_]+");

    private static void assertSucceeds(List<String> command) throws Exception {
        Tools.Result result = Tools.run(command, "");
        assertThat(result.exit())
                .as(String.join(" ", command) + "\n" + result.output())
                .isZero();
    }

    private static String promtool() {
        return Tools.require(Tools.PROMTOOL, "prometheus").toString();
    }

    @Test
    void promtool_accepts_the_rules() throws Exception {
        assertSucceeds(List.of(promtool(), "check", "rules", RULES.toString()));
    }

    @Test
    void the_rules_pass_their_unit_tests() throws Exception {
        assertSucceeds(List.of(
                promtool(),
                "test",
                "rules",
                Tools.DEPLOY.resolve("prometheus/vigil-rules.test.yml").toString()));
    }

    @Test
    void promtool_accepts_the_prometheus_config() throws Exception {
        assertSucceeds(List.of(
                promtool(),
                "check",
                "config",
                Tools.DEPLOY.resolve("prometheus/prometheus.yml").toString()));
    }

    @Test
    void amtool_accepts_the_alertmanager_config() throws Exception {
        String amtool = Tools.require(Tools.AMTOOL, "prometheus-alertmanager").toString();
        assertSucceeds(List.of(
                amtool,
                "check-config",
                Tools.DEPLOY.resolve("alertmanager/alertmanager.yml").toString()));
    }

    /** Every sample name Vigil's exposition has, with every metric populated. */
    private static Set<String> exported() {
        var metrics = new VigilMetrics("test");
        metrics.heartbeat(Instant.EPOCH);
        metrics.update(List.of(new ServiceSample("s", "", Phase.UP, true, true, false)));
        metrics.restarted("s", "", RestartReason.DIED, Duration.ofMillis(1));
        metrics.restartFailed("s", "");
        metrics.checkFailed("s", "", "c");
        return Exposition.parse(metrics.text()).names();
    }

    private static Set<String> vigilNames(List<String> expressions) {
        Set<String> names = new TreeSet<>();
        for (String expr : expressions) {
            Matcher m = METRIC.matcher(expr);
            while (m.find()) {
                names.add(m.group());
            }
        }
        return names;
    }

    @Test
    void the_exposition_names_counters_with_total_and_histograms_with_their_suffixes() {
        assertThat(exported())
                .contains(
                        "vigil_restarts_total",
                        "vigil_build_info",
                        "vigil_detection_to_restart_seconds_bucket",
                        "vigil_detection_to_restart_seconds_sum",
                        "vigil_detection_to_restart_seconds_count")
                .doesNotContain("vigil_restarts", "vigil_detection_to_restart_seconds");
    }

    @Test
    void the_rules_use_only_exported_metrics() throws Exception {
        List<String> exprs = new ArrayList<>();
        for (String line : Files.readAllLines(RULES)) {
            if (!line.strip().startsWith("#")) {
                exprs.add(line);
            }
        }
        Set<String> used = vigilNames(exprs);
        assertThat(used)
                .contains(
                        "vigil_heartbeat_timestamp_seconds",
                        "vigil_service_up",
                        "vigil_service_desired_running",
                        "vigil_restarts_total",
                        "vigil_service_given_up");
        assertThat(exported()).containsAll(used);
    }

    @Test
    void the_dashboard_uses_only_exported_metrics() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        List<String> exprs = new ArrayList<>();
        dashboard.findValues("expr").forEach(n -> exprs.add(n.asText()));
        dashboard.findValues("definition").forEach(n -> exprs.add(n.asText()));
        assertThat(exprs).hasSizeGreaterThan(8);
        Set<String> used = vigilNames(exprs);
        assertThat(used)
                .contains(
                        "vigil_service_up",
                        "vigil_service_state",
                        "vigil_restarts_total",
                        "vigil_detection_to_restart_seconds_bucket",
                        "vigil_service_given_up",
                        "vigil_heartbeat_timestamp_seconds");
        assertThat(exported()).containsAll(used);
    }

    @Test
    void the_dashboard_has_the_promised_panels() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        List<String> titles = new ArrayList<>();
        dashboard.get("panels").forEach(p -> titles.add(p.get("title").asText()));
        assertThat(titles)
                .contains(
                        "Services up",
                        "State over time",
                        "Restarts by service",
                        "Detection to restart (p50, p99)",
                        "Given-up services",
                        "Heartbeat age");
    }

    /** No YAML library is on the test class path (and no Docker here), so Python's PyYAML reads the file. */
    @Test
    void the_compose_file_is_yaml_with_the_four_services() throws Exception {
        String script = "import sys, yaml; print(' '.join(sorted(yaml.safe_load(open(sys.argv[1]))['services'])))";
        Tools.Result probe = Tools.run(List.of("python3", "-c", "import yaml"), "");
        Assumptions.assumeTrue(
                probe.exit() == 0, "python3 with PyYAML (Debian: python3-yaml) is needed: " + probe.output());
        Tools.Result result = Tools.run(
                List.of(
                        "python3",
                        "-c",
                        script,
                        Tools.DEPLOY.resolve("compose.yml").toString()),
                "");
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output().strip()).isEqualTo("alertmanager grafana prometheus pushgateway");
    }
}
