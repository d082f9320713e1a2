package dev.vigil.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.metrics.VigilMetrics;
import dev.vigil.store.RolloutAlertRecord;
import dev.vigil.store.RolloutHostRecord;
import dev.vigil.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The vigil_rollout_* metrics come from the store: whoever wrote it, the daemon's registry and the textfile agree. */
class RolloutCollectorTest {
    private static final Instant T = Instant.parse("2026-03-02T10:00:00Z");

    @TempDir
    Path dir;

    private Store open() {
        return Store.open(dir.resolve("state.db"));
    }

    private static void fill(Store s) {
        s.saveRolloutHost(
                new RolloutHostRecord("xrd", "h1", T.plusSeconds(3600), true, 2, Optional.of(T), Optional.empty(), ""));
        s.saveRolloutHost(new RolloutHostRecord(
                "xrd", "h2", T.plusSeconds(7200), false, 0, Optional.empty(), Optional.of(T.minusSeconds(60)), ""));
        s.putRolloutAlert("xrd", new RolloutAlertRecord("NeedsReboot", "h1", "stuck", T));
        s.append("rollout:xrd", "h2", "rollout-done", "done", Map.of("seconds", "45"), T);
        s.append("rollout:xrd", "h2", "rollout-done", "done", Map.of("seconds", "400"), T);
    }

    @Test
    void everySeries_inTheDaemonsRegistry_asTheTextfileHasThem() throws Exception {
        try (Store s = open()) {
            fill(s);
            VigilMetrics metrics = new VigilMetrics("test");
            metrics.registry().register(new RolloutCollector(s, () -> List.of("xrd", "web"), r -> Optional.of(T)
                    .filter(t -> r.equals("xrd"))));

            String text = metrics.text();

            assertThat(text)
                    .contains("vigil_rollout_heartbeat{rollout=\"xrd\"} 1.7724456E9")
                    .doesNotContain("vigil_rollout_heartbeat{rollout=\"web\"}")
                    .contains("vigil_rollout_restart_active{node=\"h1\",rollout=\"xrd\"} 1.0")
                    .contains("vigil_rollout_restart_active{node=\"h2\",rollout=\"xrd\"} 0.0")
                    .contains("vigil_rollout_start_time{node=\"h1\",rollout=\"xrd\"} 1.7724456E9")
                    .doesNotContain("vigil_rollout_start_time{node=\"h2\"")
                    .contains("vigil_rollout_last_success_timestamp{node=\"h2\",rollout=\"xrd\"} 1.77244554E9")
                    .contains("vigil_rollout_next_due_timestamp{node=\"h2\",rollout=\"xrd\"} 1.7724528E9")
                    .contains("vigil_rollout_alert_state{alert=\"NeedsReboot\",node=\"h1\",rollout=\"xrd\"} 1.0")
                    .contains("vigil_rollout_restart_duration_seconds_bucket{rollout=\"xrd\",le=\"30.0\"} 0")
                    .contains("vigil_rollout_restart_duration_seconds_bucket{rollout=\"xrd\",le=\"60.0\"} 1")
                    .contains("vigil_rollout_restart_duration_seconds_bucket{rollout=\"xrd\",le=\"300.0\"} 1")
                    .contains("vigil_rollout_restart_duration_seconds_bucket{rollout=\"xrd\",le=\"600.0\"} 2")
                    .contains("vigil_rollout_restart_duration_seconds_bucket{rollout=\"xrd\",le=\"+Inf\"} 2")
                    .contains("vigil_rollout_restart_duration_seconds_count{rollout=\"xrd\"} 2")
                    .contains("vigil_rollout_restart_duration_seconds_sum{rollout=\"xrd\"} 445.0");
            Path file = dir.resolve("state/metrics/vigil_rollout_xrd.prom");
            new RolloutMetrics("xrd", s, Optional.of(file)).heartbeat(T);
            List<String> rollout = text.lines()
                    .filter(l -> l.startsWith("vigil_rollout_") || l.startsWith("# TYPE vigil_rollout_"))
                    .filter(l -> !l.contains("rollout=\"web\""))
                    .toList();
            assertThat(Files.readAllLines(file))
                    .as("the textfile is the same renderer's")
                    .containsAll(rollout);
        }
    }
}
