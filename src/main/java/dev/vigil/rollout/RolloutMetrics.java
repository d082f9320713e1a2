package dev.vigil.rollout;

import dev.vigil.process.AtomicFiles;
import dev.vigil.store.Event;
import dev.vigil.store.EventQuery;
import dev.vigil.store.RolloutAlertRecord;
import dev.vigil.store.RolloutHostRecord;
import dev.vigil.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * XRootDRestart's metrics under {@code vigil_rollout_*}, in Prometheus' text format, written (atomically) to a file
 * that node_exporter's textfile collector reads: the controller is a short-lived {@code vigil rollout run}, so the
 * values come from the store (schedule, progress, firing alerts, the durations of past restarts in the events), and
 * are right whichever process wrote them last.
 */
public final class RolloutMetrics {
    /** The restart-duration histogram's bounds, in seconds: XRootDRestart waits 300 s, so minutes matter. */
    static final List<Double> BUCKETS = List.of(30.0, 60.0, 120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0);

    private final String rollout;
    private final Store store;
    private final Optional<Path> file;

    /** @param file where to write; empty = nowhere (tests that do not look) */
    public RolloutMetrics(String rollout, Store store, Optional<Path> file) {
        this.rollout = rollout;
        this.store = store;
        this.file = file;
    }

    /** The file of {@code rollout} in {@code stateDir}. */
    public static Path file(Path stateDir, String rollout) {
        return stateDir.resolve("metrics").resolve("vigil_rollout_" + rollout + ".prom");
    }

    void heartbeat(Instant now) {
        write(now);
    }

    void started(String host, Instant now) {
        write(now);
    }

    void finished(String host, Instant now, Duration took, boolean ok) {
        write(now);
    }

    private void write(Instant now) {
        if (file.isEmpty()) {
            return;
        }
        try {
            Files.createDirectories(file.get().getParent());
            AtomicFiles.write(file.get(), render(now));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write rollout metrics to " + file.get(), e);
        }
    }

    /** The exposition text. */
    public String render(Instant now) {
        String r = "rollout=\"" + rollout + "\"";
        StringBuilder out = new StringBuilder();
        out.append("# HELP vigil_rollout_heartbeat Time the rollout's controller last ran (unix seconds).\n")
                .append("# TYPE vigil_rollout_heartbeat gauge\n")
                .append("vigil_rollout_heartbeat{")
                .append(r)
                .append("} ")
                .append(seconds(now))
                .append('\n');
        List<RolloutHostRecord> hosts = store.rolloutHosts(rollout);
        gauge(out, "restart_active", "1 while the node's restart is under way, else 0.");
        hosts.forEach(h -> line(out, "restart_active", r, h.host(), h.inProgress() ? "1" : "0"));
        gauge(out, "start_time", "When the restart of the node began (unix seconds).");
        hosts.forEach(h -> h.startedAt().ifPresent(t -> line(out, "start_time", r, h.host(), seconds(t))));
        gauge(out, "last_success_timestamp", "When the node's last restart succeeded (unix seconds).");
        hosts.forEach(
                h -> h.lastSuccess().ifPresent(t -> line(out, "last_success_timestamp", r, h.host(), seconds(t))));
        gauge(out, "next_due_timestamp", "When the node is next due (unix seconds).");
        hosts.forEach(h -> line(out, "next_due_timestamp", r, h.host(), seconds(h.nextDue())));
        gauge(out, "alert_state", "1 while the alert fires for the node (\"\" = the rollout as a whole).");
        for (RolloutAlertRecord a : store.rolloutAlerts(rollout)) {
            out.append("vigil_rollout_alert_state{")
                    .append(r)
                    .append(",alert=\"")
                    .append(a.alert())
                    .append("\",node=\"")
                    .append(a.host())
                    .append("\"} 1\n");
        }
        List<Double> durations =
                store
                        .events(EventQuery.latest(10_000)
                                .withService("rollout:" + rollout)
                                .withKind("rollout-done"))
                        .stream()
                        .map(Event::fields)
                        .map(f -> Double.parseDouble(f.getOrDefault("seconds", "0")))
                        .toList();
        out.append("# HELP vigil_rollout_restart_duration_seconds How long restarting a node took.\n")
                .append("# TYPE vigil_rollout_restart_duration_seconds histogram\n");
        for (double bound : BUCKETS) {
            long n = durations.stream().filter(d -> d <= bound).count();
            out.append("vigil_rollout_restart_duration_seconds_bucket{")
                    .append(r)
                    .append(",le=\"")
                    .append(bound)
                    .append("\"} ")
                    .append(n)
                    .append('\n');
        }
        out.append("vigil_rollout_restart_duration_seconds_bucket{")
                .append(r)
                .append(",le=\"+Inf\"} ")
                .append(durations.size())
                .append('\n')
                .append("vigil_rollout_restart_duration_seconds_sum{")
                .append(r)
                .append("} ")
                .append(durations.stream().mapToDouble(Double::doubleValue).sum())
                .append('\n')
                .append("vigil_rollout_restart_duration_seconds_count{")
                .append(r)
                .append("} ")
                .append(durations.size())
                .append('\n');
        return out.toString();
    }

    private static void gauge(StringBuilder out, String name, String help) {
        out.append("# HELP vigil_rollout_")
                .append(name)
                .append(' ')
                .append(help)
                .append('\n')
                .append("# TYPE vigil_rollout_")
                .append(name)
                .append(" gauge\n");
    }

    private static void line(StringBuilder out, String name, String r, String node, String value) {
        out.append("vigil_rollout_")
                .append(name)
                .append('{')
                .append(r)
                .append(",node=\"")
                .append(node)
                .append("\"} ")
                .append(value)
                .append('\n');
    }

    private static String seconds(Instant t) {
        return Long.toString(t.getEpochSecond());
    }
}
