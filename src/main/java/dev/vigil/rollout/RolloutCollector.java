package dev.vigil.rollout;

import dev.vigil.store.Event;
import dev.vigil.store.EventQuery;
import dev.vigil.store.RolloutAlertRecord;
import dev.vigil.store.RolloutHostRecord;
import dev.vigil.store.Store;
import dev.vigil.store.StoreException;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * XRootDRestart's metrics under {@code vigil_rollout_*}, read from the store at every collect: schedule, progress,
 * firing alerts and the durations of past restarts (the {@code rollout-done} events). The store is what every
 * controller writes, so the values are right whichever process ran the rollout (the daemon, or a person's {@code
 * vigil rollout run}). The one source of these metrics: the daemon registers it for {@code /metrics}, and {@link
 * RolloutMetrics} renders it into the textfile of a command-line run.
 */
public final class RolloutCollector implements MultiCollector {
    private static final Logger LOG = LoggerFactory.getLogger(RolloutCollector.class);
    /** The restart-duration histogram's bounds, in seconds: XRootDRestart waits 300 s, so minutes matter. */
    static final double[] BUCKETS = {30, 60, 120, 300, 600, 900, 1800, 3600};
    /** The most rollout-done events read per rollout and scrape. */
    private static final int DURATIONS = 10_000;

    private final Store store;
    private final Supplier<List<String>> rollouts;
    private final Function<String, Optional<Instant>> heartbeat;

    /**
     * @param rollouts the rollouts to export, asked at every collect (a reload changes them)
     * @param heartbeat when a rollout's controller last ran; empty: no heartbeat series for it
     */
    public RolloutCollector(
            Store store, Supplier<List<String>> rollouts, Function<String, Optional<Instant>> heartbeat) {
        this.store = store;
        this.rollouts = rollouts;
        this.heartbeat = heartbeat;
    }

    @Override
    public MetricSnapshots collect() {
        Gauges beat = new Gauges("heartbeat", "Time the rollout's controller last ran (unix seconds).");
        Gauges active = new Gauges("restart_active", "1 while the node's restart is under way, else 0.");
        Gauges started = new Gauges("start_time", "When the restart of the node began (unix seconds).");
        Gauges success = new Gauges("last_success_timestamp", "When the node's last restart succeeded (unix seconds).");
        Gauges due = new Gauges("next_due_timestamp", "When the node is next due (unix seconds).");
        Gauges alerts =
                new Gauges("alert_state", "1 while the alert fires for the node (\"\" = the rollout as a whole).");
        HistogramSnapshot.Builder durations = HistogramSnapshot.builder()
                .name("vigil_rollout_restart_duration_seconds")
                .help("How long restarting a node took.");
        for (String rollout : rollouts.get()) {
            try {
                heartbeat.apply(rollout).ifPresent(t -> beat.add(Labels.of("rollout", rollout), seconds(t)));
                for (RolloutHostRecord h : store.rolloutHosts(rollout)) {
                    Labels node = Labels.of("rollout", rollout, "node", h.host());
                    active.add(node, h.inProgress() ? 1 : 0);
                    h.startedAt().ifPresent(t -> started.add(node, seconds(t)));
                    h.lastSuccess().ifPresent(t -> success.add(node, seconds(t)));
                    due.add(node, seconds(h.nextDue()));
                }
                for (RolloutAlertRecord a : store.rolloutAlerts(rollout)) {
                    alerts.add(Labels.of("rollout", rollout, "alert", a.alert(), "node", a.host()), 1);
                }
                durations.dataPoint(histogram(rollout));
            } catch (StoreException e) {
                // one unreadable rollout must not take Vigil's other metrics off /metrics
                LOG.warn("rollout {}: metrics not read from the store: {}", rollout, e.getMessage());
            }
        }
        return MetricSnapshots.of(
                beat.build(),
                active.build(),
                started.build(),
                success.build(),
                due.build(),
                alerts.build(),
                durations.build());
    }

    private HistogramDataPointSnapshot histogram(String rollout) {
        List<Double> took = store
                .events(EventQuery.latest(DURATIONS)
                        .withService("rollout:" + rollout)
                        .withKind("rollout-done"))
                .stream()
                .map(Event::fields)
                .map(f -> Double.parseDouble(f.getOrDefault("seconds", "0")))
                .toList();
        double[] bounds = new double[BUCKETS.length + 1];
        long[] counts = new long[BUCKETS.length + 1]; // per bucket, not cumulative: client_java adds them up
        System.arraycopy(BUCKETS, 0, bounds, 0, BUCKETS.length);
        bounds[BUCKETS.length] = Double.POSITIVE_INFINITY;
        for (double d : took) {
            int i = 0;
            while (d > bounds[i]) {
                i++;
            }
            counts[i]++;
        }
        return HistogramDataPointSnapshot.builder()
                .labels(Labels.of("rollout", rollout))
                .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts))
                .sum(took.stream().mapToDouble(Double::doubleValue).sum())
                .build();
    }

    private static double seconds(Instant t) {
        return t.getEpochSecond();
    }

    /** One gauge's data points, gathered over every rollout. */
    private static final class Gauges {
        private final GaugeSnapshot.Builder builder;
        private final List<GaugeDataPointSnapshot> points = new ArrayList<>();

        Gauges(String name, String help) {
            builder = GaugeSnapshot.builder().name("vigil_rollout_" + name).help(help);
        }

        void add(Labels labels, double value) {
            points.add(
                    GaugeDataPointSnapshot.builder().labels(labels).value(value).build());
        }

        GaugeSnapshot build() {
            points.forEach(builder::dataPoint);
            return builder.build();
        }
    }
}
